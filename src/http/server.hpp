// The HTTP server (CivetWeb): /metrics, the landing page, /healthz, /readyz, /api/status, /api/vms,
// /api/config and the push control endpoints (POST /api/push/start|stop: with basic auth, for any
// authenticated client; without it, refused with 403 for clients that are not on loopback; from another
// site, refused with 403 either way), and the seed collector's paths as their aliases
// (/api/telemetry/start|stop|status|vms|config, http/seed_api.hpp). With a web
// config file every listening address speaks TLS when it has tls_server_config, and every path asks for
// basic auth when it has basic_auth_users (src/http/web_security_state.hpp).
//
// Ownership: Server owns the CivetWeb context and its handlers; it borrows the collectable and whatever
// the StatusSource callbacks capture, which must outlive it. Thread-safety: handlers run on CivetWeb's
// worker threads (Capacity::workers of them, src/http/capacity.hpp); the borrowed objects must be thread-safe.
// Throws: the constructor throws std::runtime_error naming the address when it cannot listen, or when TLS
// cannot be turned on.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "collect/domain_sample.hpp"
#include "http/capacity.hpp"

class CivetServer;
class CivetHandler;
class CivetAuthHandler;

#include "prom/families.hpp"

namespace prom {
class Exposition;
}

namespace instr {
class Instruments;
}

namespace http {

class WebSecurityState;
class ServerContext;

struct ServerOptions {
    std::vector<std::string> listen_addresses{":9177"};  // ":port", "host:port", "[v6]:port"; port 0 = any
    std::string metrics_path = "/metrics";
    // Connections served at once (CivetWeb worker threads), lowered to fit RLIMIT_NOFILE (capacity()).
    unsigned max_connections = 2048;
    // Headers (and the TLS handshake before them) must arrive within it; a write may stall that long.
    std::chrono::milliseconds request_timeout{5000};
    // The web config file (TLS, basic auth); null: plain HTTP without auth.
    std::shared_ptr<WebSecurityState> security;
    std::chrono::milliseconds keep_alive_timeout{30000};  // idle time between kept-alive requests
    // Where requests, authentication failures and failed TLS handshakes are recorded
    // (http/request_metrics.hpp); null: not recorded. Borrowed: it must outlive the server.
    instr::Instruments* instruments = nullptr;
};

// What the pages say about the rest of the daemon. Callbacks are called on HTTP threads.
struct StatusSource {
    std::string libvirt_uri;
    std::function<bool()> libvirt_connected;
    std::function<std::shared_ptr<const collect::Snapshot>()> latest_snapshot;
    // Unset when no push is configured.
    std::function<prom::PushStatus()> push_status;
    std::function<void(bool run)> push_control;  // POST /api/push/start (true) and /stop (false)
    // The effective configuration as JSON with secrets masked (/api/config); unset: 404.
    std::function<std::string()> config_json;
    // The same as the seed's config answer (/api/telemetry/config, http::seed_config_json); unset: 404.
    std::function<std::string()> seed_config_json;
};

class Server {
public:
    Server(const ServerOptions& options, const prom::Exposition& metrics, StatusSource status);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // The ports actually bound, in listen_addresses order (useful with port 0).
    std::vector<int> ports() const;
    // What the server was started with: workers (maybe lowered from max_connections), queue, backlog.
    const Capacity& capacity() const { return capacity_; }
    // Serves `path` as /healthz is served (web.health_path, inovex's --web.health-path). Called once, by
    // the thread that made the server, before it is announced; a path of another handler is replaced.
    void add_health_path(const std::string& path);

private:
    // addHandler, and the path becomes a value of the requests' handler label.
    void add_handler(const std::string& path, CivetHandler* handler);

    Capacity capacity_;
    StatusSource status_;
    std::shared_ptr<WebSecurityState> security_;
    std::vector<std::unique_ptr<CivetHandler>> handlers_;
    CivetHandler* health_ = nullptr;  // /healthz's, one of handlers_
    std::unique_ptr<CivetAuthHandler> auth_;
    std::unique_ptr<ServerContext> context_;  // CivetWeb's user context; outlives server_
    std::unique_ptr<CivetServer> server_;
};

// ":9177" → "+9177" (IPv4 and IPv6 where CivetWeb has IPv6), "127.0.0.1:9177" unchanged, ... Exposed for
// tests. Throws std::invalid_argument for a form CivetWeb would not understand.
std::string civetweb_listening_port(const std::string& listen_address, bool have_ipv6);

}  // namespace http
