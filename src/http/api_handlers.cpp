#include <civetweb.h>

#include <chrono>
#include <ctime>

#include "build_info.hpp"
#include "http/handlers.hpp"
#include "http/response.hpp"
#include "util/json_writer.hpp"
#include "util/log.hpp"

namespace http {
namespace {

Response json(int status, std::string body)
{
    return Response{status, "application/json", std::move(body), "", ""};
}

std::string status_json(const StatusSource& status)
{
    util::JsonWriter w(true);
    w.begin_object().field("version", VIRT_EXPORTER_VERSION);
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
    if (status.push_status) {
        const prom::PushStatus p = status.push_status();
        w.key("push").begin_object().field("enabled", true).field("running", p.running);
        w.field("lines_written", p.lines_written).field("queue_size", p.queued_lines);
        w.field("spooled_lines", p.spooled_lines).field("spool_bytes", p.spool_bytes);
        w.field("dropped", p.lines_dropped).field("rejected", p.lines_rejected).field("retries", p.retries);
        w.field("last_success_unix", p.last_success_unix).field("last_error", p.last_error).end_object();
    } else {
        w.key("push").begin_object().field("enabled", false).end_object();
    }
    w.end_object();
    return w.take() + "\n";
}

}  // namespace

bool is_loopback(std::string_view addr) noexcept
{
    if (addr.starts_with("::ffff:")) addr.remove_prefix(7);
    return addr == "::1" || addr.starts_with("127.");
}

bool StatusApiHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    try {
        send(conn, json(200, status_json(status_)));
    } catch (const std::exception&) {
        send(conn, json(500, "{\"error\":\"internal error\"}\n"));
    }
    return true;
}

bool PushControlHandler::handlePost(CivetServer*, mg_connection* conn) noexcept
{
    try {
        const mg_request_info* info = mg_get_request_info(conn);
        const std::string_view remote = info && info->remote_addr[0] ? info->remote_addr : "";
        const bool authenticated = security_ && security_->current()->auth.enabled();
        if (!authenticated && !is_loopback(remote)) {
            util::log_warn("http", "refused push control from " + std::string(remote) + ": only loopback clients may");
            send(conn, json(403, "{\"error\":\"push control is only allowed from loopback\"}\n"));
        } else if (!status_.push_control) {
            send(conn, json(404, "{\"error\":\"no push is configured\"}\n"));
        } else {
            status_.push_control(run_);
            util::log_info("http",
                           std::string("push ") + (run_ ? "started" : "stopped") + " by " + std::string(remote));
            send(conn, json(200, std::string("{\"push\":\"") + (run_ ? "running" : "stopped") + "\"}\n"));
        }
    } catch (const std::exception&) {
        send(conn, json(500, "{\"error\":\"internal error\"}\n"));
    }
    return true;
}

}  // namespace http
