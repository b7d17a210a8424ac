// GET /api/config (the effective configuration, secrets masked by config::to_json) and GET
// /api/telemetry/config, the seed collector's view of it (http/seed_api.hpp): 200 with the JSON the
// StatusSource renders, 404 when there is no configuration to show (respond_config). Runs on CivetWeb
// worker threads.
#include "http/handlers.hpp"
#include "http/response.hpp"

namespace http {

bool ConfigApiHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    respond_config(conn, status_.config_json);
    return true;
}

bool SeedConfigHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    respond_config(conn, status_.seed_config_json);
    return true;
}

}  // namespace http
