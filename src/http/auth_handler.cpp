#include <CivetServer.h>

#include "http/handlers.hpp"
#include "http/response.hpp"
#include "instr/instruments.hpp"
#include "util/log.hpp"

namespace http {

bool AuthHandler::authorize(CivetServer*, mg_connection* conn) noexcept
{
    try {
        const auto generation = security_.current();
        const char* header = mg_get_header(conn, "Authorization");
        const AuthResult result = generation->auth.check(header ? header : "");
        if (result == AuthResult::granted) return true;
        if (instruments_)
            instruments_->record_auth_failure(result == AuthResult::busy ? instr::AuthFailure::busy
                                              : header                   ? instr::AuthFailure::wrong
                                                                         : instr::AuthFailure::missing);
        const mg_request_info* info = mg_get_request_info(conn);
        const std::string remote = info && info->remote_addr[0] ? info->remote_addr : "?";
        Response r;
        if (result == AuthResult::busy) {
            r.status = 429;
            r.body = "too many authentication attempts at once; retry\n";
            r.extra_headers = "Retry-After: 1\r\n";
        } else {
            r.status = 401;
            r.body = "authentication required\n";
            r.extra_headers = "WWW-Authenticate: Basic realm=\"virt-exporter\", charset=\"UTF-8\"\r\n";
        }
        // The user name a client sent is not logged: it is sometimes the password typed in the wrong field.
        util::log_debug("http", "refused " + std::string(info && info->request_uri ? info->request_uri : "") +
                                    " from " + remote +
                                    (result == AuthResult::busy ? ": bcrypt busy with other attempts"
                                     : header                   ? ": wrong credentials"
                                                                : ": no credentials"));
        send(conn, r);
    } catch (...) {
        mg_send_http_error(conn, 500, "%s", "internal error");
    }
    return false;
}

}  // namespace http
