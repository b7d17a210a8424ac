#include "http/server.hpp"

#include <charconv>
#include <stdexcept>

#include <CivetServer.h>

#include "http/handlers.hpp"
#include "http/request_metrics.hpp"
#include "http/tls_material.hpp"
#include "http/web_security_state.hpp"
#include "util/log.hpp"

namespace http {
namespace {

int parse_port(std::string_view text, const std::string& address)
{
    int port = -1;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc() || ptr != text.data() + text.size() || port < 0 || port > 65535)
        throw std::invalid_argument("listen address \"" + address + "\": bad port");
    return port;
}

// CivetWeb reports start-up problems through this callback only; keep the last one for the exception.
thread_local std::string last_civetweb_error;

int log_message(const mg_connection*, const char* message)
{
    last_civetweb_error = message ? message : "";
    util::log_debug("http", last_civetweb_error);
    return 1;
}

// CivetWeb hands over its SSL_CTX once, at start; the certificate and everything else are set per
// connection from the web config in force (TlsMaterial::apply). 1: "the certificate is taken care of".
int init_ssl(void* ssl_ctx, void* user_data)
{
    auto* server = static_cast<CivetServer*>(user_data);
    const auto* context = static_cast<const ServerContext*>(server->getUserContext());
    if (!context || !context->security) return -1;
    install_tls(static_cast<SSL_CTX*>(ssl_ctx), *context->security);
    if (context->instruments) count_failed_handshakes(static_cast<SSL_CTX*>(ssl_ctx), *context->instruments);
    return 1;
}

// Called by CivetWeb on the worker after each connection (capacity.hpp).
void connection_closed(const mg_connection*)
{
    release_worker_state();
}

}  // namespace

std::string civetweb_listening_port(const std::string& address, bool have_ipv6)
{
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("listen address \"" + address + "\": no port");
    const std::string host = address.substr(0, colon);
    const int port = parse_port(std::string_view(address).substr(colon + 1), address);
    if (host.empty()) return (have_ipv6 ? "+" : "") + std::to_string(port);
    if (host.front() == '[') {
        if (!have_ipv6) throw std::invalid_argument("listen address \"" + address + "\": no IPv6 support");
        return host + ":" + std::to_string(port);
    }
    return host + ":" + std::to_string(port);
}

Server::Server(const ServerOptions& options, const prom::Exposition& metrics, StatusSource status)
{
    const bool have_ipv6 = mg_check_feature(8) != 0;
    const bool tls = options.security && options.security->tls_enabled();
    if (tls) {
        if (!mg_check_feature(2)) throw std::runtime_error("TLS is configured, but this CivetWeb was built without it");
        check_civetweb_openssl();
    }
    std::string ports;
    for (const auto& a : options.listen_addresses) {
        if (!ports.empty()) ports += ',';
        ports += civetweb_listening_port(a, have_ipv6) + (tls ? "s" : "");
    }
    capacity_ = plan_capacity(options.max_connections, open_files_limit());
    // Why these CivetWeb 1.15 options (README "Crowds of clients" has the measurements):
    // - num_threads: every worker is created at start (1.15 has no on-demand spawning) and holds one
    //   connection until it closes, so it is the number of silent, slow or idle clients that can be
    //   connected at once without delaying a scrape. Debian builds CivetWeb with 100 KiB thread stacks
    //   (USE_STACK_SIZE), so an idle worker costs a few pages of RSS, not megabytes.
    // - request_timeout_ms bounds, from the start of a request, the header read (read_message: a
    //   slowloris client dribbling a byte a second is cut off then), the TLS handshake (sslize polls in
    //   50 ms steps up to it) and each stalled write (push_all). Prometheus sends its request at once.
    // - keep_alive_timeout_ms replaces it between requests of a kept-alive connection.
    // - connection_queue, listen_backlog: see plan_capacity().
    // - linger_timeout_ms stays unset: with it, close() would block a worker on a client that does not read.
    // - tcp_nodelay: headers and body are separate writes; with Nagle's algorithm the first answer on a
    //   new TLS connection waited for the client's delayed ACK (40 ms of a 46 ms scrape).
    const std::vector<std::string> civet_options{
        "listening_ports",
        ports,
        "num_threads",
        std::to_string(capacity_.workers),
        "connection_queue",
        std::to_string(capacity_.queue),
        "listen_backlog",
        std::to_string(capacity_.listen_backlog),
        "request_timeout_ms",
        std::to_string(options.request_timeout.count()),
        "enable_keep_alive",
        "yes",
        "keep_alive_timeout_ms",
        std::to_string(options.keep_alive_timeout.count()),
        "enable_directory_listing",
        "no",
        "tcp_nodelay",
        "1",
    };
    CivetCallbacks callbacks;
    callbacks.log_message = log_message;
    callbacks.connection_closed = connection_closed;
    if (tls) callbacks.init_ssl = init_ssl;
    if (options.instruments) {
        callbacks.begin_request = begin_request;
        callbacks.end_request = end_request;
    }
    security_ = options.security;
    context_ = std::make_unique<ServerContext>(security_.get(), options.instruments);
    try {
        server_ = std::make_unique<CivetServer>(civet_options, &callbacks, context_.get());
    } catch (const CivetException&) {
        throw std::runtime_error("cannot listen on " + ports + ": " +
                                 (last_civetweb_error.empty() ? "CivetWeb failed to start" : last_civetweb_error));
    }
    // Before any handler: a request must never reach one unchecked, not even during start-up.
    if (security_) {
        auth_ = std::make_unique<AuthHandler>(*security_, options.instruments);
        server_->addAuthHandler("/", auth_.get());
    }
    status_ = std::move(status);
    handlers_.push_back(std::make_unique<MetricsHandler>(metrics));
    add_handler(options.metrics_path, handlers_.back().get());
    handlers_.push_back(std::make_unique<HealthHandler>(status_, false));
    add_handler("/healthz", handlers_.back().get());
    health_ = handlers_.back().get();
    handlers_.push_back(std::make_unique<HealthHandler>(status_, true));
    add_handler("/readyz", handlers_.back().get());
    handlers_.push_back(std::make_unique<StatusApiHandler>(status_));
    add_handler("/api/status", handlers_.back().get());
    handlers_.push_back(std::make_unique<VmsApiHandler>(status_));
    CivetHandler* const vms = handlers_.back().get();
    add_handler("/api/vms", vms);
    handlers_.push_back(std::make_unique<ConfigApiHandler>(status_));
    add_handler("/api/config", handlers_.back().get());
    handlers_.push_back(std::make_unique<PushControlHandler>(status_, true, security_.get()));
    add_handler("/api/push/start", handlers_.back().get());
    add_handler("/api/telemetry/start", handlers_.back().get());
    handlers_.push_back(std::make_unique<PushControlHandler>(status_, false, security_.get()));
    add_handler("/api/push/stop", handlers_.back().get());
    add_handler("/api/telemetry/stop", handlers_.back().get());
    // The seed collector's paths (http/seed_api.hpp); vms, start and stop are ours under a second name.
    handlers_.push_back(std::make_unique<SeedStatusHandler>(status_));
    add_handler("/api/telemetry/status", handlers_.back().get());
    handlers_.push_back(std::make_unique<SeedConfigHandler>(status_));
    add_handler("/api/telemetry/config", handlers_.back().get());
    add_handler("/api/telemetry/vms", vms);
    handlers_.push_back(std::make_unique<LandingHandler>(status_, options.metrics_path, security_.get()));
    add_handler("/", handlers_.back().get());
}

Server::~Server()
{
    // Stop the workers before the handlers they call go away.
    if (server_) server_->close();
}

void Server::add_health_path(const std::string& path)
{
    if (server_ && health_) add_handler(path, health_);
}

void Server::add_handler(const std::string& path, CivetHandler* handler)
{
    context_->add_handler_path(path);
    server_->addHandler(path, handler);
}

std::vector<int> Server::ports() const
{
    std::vector<int> out;
    if (!server_) return out;
    for (const auto& p : server_->getListeningPortsFull()) out.push_back(p.port);
    return out;
}

}  // namespace http
