// GET /api/status (libvirt, the last collection and the push counters as JSON) and GET
// /api/telemetry/status, the seed collector's path (the same answer plus the seed's field names,
// http/seed_api.hpp). Runs on CivetWeb worker threads; respond_json answers 500 for what a handler throws.
#include <civetweb.h>

#include <chrono>

#include "build_info.hpp"
#include "http/handlers.hpp"
#include "http/response.hpp"
#include "http/seed_api.hpp"
#include "util/json_writer.hpp"

namespace http {

std::optional<prom::PushStatus> push_status_of(const StatusSource& status)
{
    if (!status.push_status) return std::nullopt;
    return status.push_status();
}

void write_status_fields(util::JsonWriter& w, const StatusSource& status, const std::optional<prom::PushStatus>& push)
{
    w.field("version", VIRT_EXPORTER_VERSION);
    w.key("libvirt").begin_object().field("uri", status.libvirt_uri);
    w.field("connected", status.libvirt_connected && status.libvirt_connected()).end_object();
    if (const auto snap = status.latest_snapshot ? status.latest_snapshot() : nullptr) {
        w.field("domains", static_cast<std::uint64_t>(snap->domains.size()));
        w.key("last_collection").begin_object().field("sequence", snap->sequence);
        w.field("taken_at_unix", std::chrono::duration<double>(snap->taken_at.time_since_epoch()).count());
        w.field("duration_seconds", std::chrono::duration<double>(snap->duration).count());
        w.field("libvirt_up", snap->libvirt_up).field("complete", snap->complete).field("error", snap->error);
        w.end_object();
    } else {
        w.key("domains").null().key("last_collection").null();
    }
    if (push) {
        const prom::PushStatus& p = *push;
        w.key("push").begin_object().field("enabled", true).field("running", p.running);
        w.field("lines_written", p.lines_written).field("queue_size", p.queued_lines);
        w.field("spooled_lines", p.spooled_lines).field("spool_bytes", p.spool_bytes);
        w.field("dropped", p.lines_dropped).field("rejected", p.lines_rejected).field("retries", p.retries);
        w.field("last_success_unix", p.last_success_unix).field("last_error", p.last_error);
        w.key("urls").begin_array();
        for (const auto& u : p.urls) {
            w.begin_object().field("url", u.url).field("current", u.current).field("up", u.up);
            w.field("writes", u.writes).field("failures", u.failures).field("last_error", u.last_error).end_object();
        }
        w.end_array().end_object();
    } else {
        w.key("push").begin_object().field("enabled", false).end_object();
    }
}

bool StatusApiHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    respond_json(conn, [this] {
        util::JsonWriter w(true);
        w.begin_object();
        write_status_fields(w, status_, push_status_of(status_));
        w.end_object();
        return json_response(200, w.take() + "\n");
    });
    return true;
}

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

}  // namespace http
