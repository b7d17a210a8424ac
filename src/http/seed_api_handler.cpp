// GET /api/telemetry/status and /api/telemetry/config, the seed collector's paths (http/seed_api.hpp).
// Its other three paths are our handlers registered twice (server.cpp). Runs on CivetWeb worker threads.
#include <civetweb.h>

#include "http/handlers.hpp"
#include "http/response.hpp"
#include "http/seed_api.hpp"

namespace http {
namespace {

}  // namespace

bool SeedStatusHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    respond_json(conn, [this] {
        // One reading for both namings, so running/total_metrics_written/influx_queue_size never disagree
        // with push.running/lines_written/queue_size in the same answer.
        const auto push = push_status_of(status_);
        util::JsonWriter w(true);
        w.begin_object();
        write_status_fields(w, status_, push);
        write_seed_status_fields(w, push);
        w.end_object();
        return json_response(200, w.take() + "\n");
    });
    return true;
}

bool SeedConfigHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    respond_config(conn, status_.seed_config_json);
    return true;
}

}  // namespace http
