// POST /api/push/start and /api/push/stop, also registered at the seed's /api/telemetry/start and /stop
// (server.cpp): who may control the push loop (loopback clients, or any client basic auth let in), the
// cross-site rule (http/cross_site.hpp), and the answer (303 to / for the landing page's form, else JSON).
// Runs on CivetWeb worker threads; respond_json answers 500 for what the handler throws.
#include <civetweb.h>

#include "http/cross_site.hpp"
#include "http/handlers.hpp"
#include "http/response.hpp"
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
