#include "http/handlers.hpp"
#include "http/response.hpp"

namespace http {

bool HealthHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    Response r;
    if (!ready_) {
        r.body = "ok\n";
    } else if (status_.libvirt_connected && status_.libvirt_connected()) {
        r.body = "ready: libvirt connected\n";
    } else {
        r.status = 503;
        r.body = "not ready: libvirt not connected\n";
    }
    send(conn, r);
    return true;
}

}  // namespace http
