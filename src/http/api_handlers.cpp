// GET /api/status and POST /api/push/start|stop (also serving the seed aliases /api/telemetry/start|stop).
// Runs on CivetWeb worker threads; every handler catches what it throws and answers 500.
#include <civetweb.h>

#include <chrono>
#include <ctime>

#include "build_info.hpp"
#include "http/cross_site.hpp"
#include "http/handlers.hpp"
#include "http/response.hpp"
#include "util/json_writer.hpp"
#include "util/log.hpp"

namespace http {
namespace {

// A header's value; nullopt when the request has none (absent is not the same as empty for Origin).
std::optional<std::string_view> header(mg_connection* conn, const char* name)
{
    const char* v = mg_get_header(conn, name);
    return v ? std::optional<std::string_view>(v) : std::nullopt;
}

}  // namespace

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
        w.field("last_success_unix", p.last_success_unix).field("last_error", p.last_error).end_object();
    } else {
        w.key("push").begin_object().field("enabled", false).end_object();
    }
}

bool is_loopback(std::string_view addr) noexcept
{
    if (addr.starts_with("::ffff:")) addr.remove_prefix(7);
    return addr == "::1" || addr.starts_with("127.");
}

bool may_control_push(mg_connection* conn, WebSecurityState* security) noexcept
{
    if (security && security->current()->auth.enabled()) return true;
    const mg_request_info* info = mg_get_request_info(conn);
    return info && is_loopback(info->remote_addr);
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

bool PushControlHandler::handlePost(CivetServer*, mg_connection* conn) noexcept
{
    respond_json(conn, [this, conn] {
        const mg_request_info* info = mg_get_request_info(conn);
        const std::string_view remote = info && info->remote_addr[0] ? info->remote_addr : "";
        const std::string_view cross_site = cross_site_refusal(RequestSite{
            header(conn, "Origin"), header(conn, "Sec-Fetch-Site"), header(conn, "Host"), info && info->is_ssl});
        if (!may_control_push(conn, security_)) {
            util::log_warn("http", "refused push control from " + std::string(remote) + ": only loopback clients may");
            return json_response(403, "{\"error\":\"push control is only allowed from loopback\"}\n");
        }
        if (!cross_site.empty()) {
            // A page on another site posting through the operator's browser (which would send the
            // operator's credentials, and comes from loopback when the browser runs on this host).
            util::log_warn(
                "http", "refused cross-site push control from " + std::string(remote) + ": " + std::string(cross_site));
            return json_response(403, "{\"error\":\"cross-site request refused: " + std::string(cross_site) + "\"}\n");
        }
        if (!status_.push_control) return json_response(404, "{\"error\":\"no push is configured\"}\n");
        status_.push_control(run_);
        util::log_info("http", std::string("push ") + (run_ ? "started" : "stopped") + " by " + std::string(remote));
        const auto accept = header(conn, "Accept");
        if (accept && accepts_html(*accept)) {
            // The landing page's form: back to the page, which now shows the new state (303: GET it).
            return Response{303, "text/plain; charset=utf-8", "see /\n", "", "Location: /\r\n"};
        }
        return json_response(200, std::string("{\"push\":\"") + (run_ ? "running" : "stopped") + "\"}\n");
    });
    return true;
}

}  // namespace http
