#include <civetweb.h>

#include "http/handlers.hpp"
#include "http/response.hpp"
#include "prom/exposition.hpp"
#include "util/internal_errors.hpp"

namespace http {

bool MetricsHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    Response r;
    try {
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        const char* accept = mg_get_header(conn, "Accept-Encoding");
        if (accept && accepts_gzip(accept)) {
            // Compressed while it is written: the plain text (10 MB at 1000 domains) never exists whole.
            r.body = metrics_.render_gzip();
            r.content_encoding = "gzip";
        } else {
            r.body = metrics_.render();
        }
    } catch (...) {
        // Only resource exhaustion (or a bug) gets here: data problems become metrics, not errors.
        util::count_internal_error(util::ThreadRole::http, std::current_exception());
        r = Response{500, "text/plain; charset=utf-8", "internal error while rendering metrics\n", "", ""};
    }
    send(conn, r);
    return true;
}

}  // namespace http
