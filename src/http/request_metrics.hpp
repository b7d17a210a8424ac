// The HTTP side of the exporter's own instrumentation (instr/instruments.hpp): every request's duration
// and status by handler, timed from CivetWeb's begin_request callback to its end_request callback, and
// the TLS connections that closed before their handshake completed. CivetWeb has no callback for a
// failed handshake; it hands over its SSL_CTX (init_ssl), and OpenSSL's info callback marks a
// connection whose handshake began, and an ex_data free function counts the marked ones that are freed
// before the handshake finished (a refused certificate or protocol, a plain-HTTP client, a client that
// gave up or hit web.request_timeout, a bare TCP probe).
//
// Ownership: a Server owns its RequestMetrics (the CivetWeb user context); it borrows the Instruments,
// which must outlive the server. Thread-safety: the callbacks run on CivetWeb's workers, one request at
// a time per worker (the start time is thread-local); add_handler_path() may be called while they run.
// Throws: nothing from the callbacks; add_handler_path() std::bad_alloc.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

struct mg_connection;
struct ssl_ctx_st;

namespace instr {
class Instruments;
}

namespace http {

class WebSecurityState;

// What CivetWeb's callbacks reach through the server's user context.
class ServerContext {
public:
    ServerContext(WebSecurityState* security, instr::Instruments* instruments)
        : security(security), instruments(instruments)
    {
    }

    WebSecurityState* const security;       // null: no web config file
    instr::Instruments* const instruments;  // null: nothing is recorded

    // A path a handler is registered under: the `handler` label of requests to exactly that path.
    void add_handler_path(std::string path);
    // The handler label of a request for `uri`: a registered path, or "other" (so that scanners asking
    // for random paths cannot create series).
    std::string handler_label(std::string_view uri) const;

private:
    mutable std::mutex mu_;
    std::vector<std::string> paths_;
};

// CivetWeb callbacks (CivetCallbacks::begin_request, ::end_request); the context is found through the
// connection's CivetServer.
int begin_request(mg_connection* conn);
void end_request(const mg_connection* conn, int status);

// Marks the handshakes of connections made on `ctx` and counts those that never finish into
// `instruments` (virt_exporter_tls_handshake_failures_total). Called from init_ssl, once per SSL_CTX.
void count_failed_handshakes(ssl_ctx_st* ctx, instr::Instruments& instruments);

}  // namespace http
