// GET /api/telemetry/status and /api/telemetry/config, the seed collector's paths (http/seed_api.hpp).
// Its other three paths are our handlers registered twice (server.cpp). Runs on CivetWeb worker threads.
#include <civetweb.h>

#include "http/handlers.hpp"
#include "http/response.hpp"
#include "http/seed_api.hpp"

namespace http {
namespace {

Response json(int status, std::string body)
{
    return Response{status, "application/json", std::move(body), "", ""};
}

}  // namespace

bool SeedStatusHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    try {
        // One reading for both namings, so running/total_metrics_written/influx_queue_size never disagree
        // with push.running/lines_written/queue_size in the same answer.
        const auto push = push_status_of(status_);
        util::JsonWriter w(true);
        w.begin_object();
        write_status_fields(w, status_, push);
        write_seed_status_fields(w, push);
        w.end_object();
        send(conn, json(200, w.take() + "\n"));
    } catch (const std::exception&) {
        send(conn, json(500, "{\"error\":\"internal error\"}\n"));
    }
    return true;
}

bool SeedConfigHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    try {
        if (status_.seed_config_json)
            send(conn, json(200, status_.seed_config_json() + "\n"));
        else
            send(conn, json(404, "{\"error\":\"no configuration to show\"}\n"));
    } catch (const std::exception&) {
        send(conn, json(500, "{\"error\":\"internal error\"}\n"));
    }
    return true;
}

}  // namespace http
