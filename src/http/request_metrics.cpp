#include "http/request_metrics.hpp"

#include <algorithm>

#include <CivetServer.h>
#include <openssl/ssl.h>

#include "http/response.hpp"
#include "instr/instruments.hpp"

namespace http {
namespace {

// When this worker's request began (begin_request); unset outside a request.
thread_local std::chrono::steady_clock::time_point request_start{};

const ServerContext* context_of(const mg_connection* conn) noexcept
{
    const mg_context* ctx = mg_get_context(conn);
    const auto* server = ctx ? static_cast<const CivetServer*>(mg_get_user_data(ctx)) : nullptr;
    return server ? static_cast<const ServerContext*>(server->getUserContext()) : nullptr;
}

// The ex_data slot of an SSL whose handshake has begun and not finished: it holds the Instruments to
// count into, and the slot's free function counts the connection as failed when it is freed so.
void free_unfinished(void*, void* instruments, CRYPTO_EX_DATA*, int, long, void*)
{
    if (instruments) static_cast<instr::Instruments*>(instruments)->record_tls_handshake_failure();
}

int unfinished_slot()
{
    static const int slot = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_unfinished);
    return slot;
}

// The Instruments of an SSL_CTX (set by count_failed_handshakes).
int instruments_slot()
{
    static const int slot = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return slot;
}

void on_tls_state(const SSL* ssl, int where, int)
{
    auto* mutable_ssl = const_cast<SSL*>(ssl);  // OpenSSL's callback type is const; ex_data is not
    if (where & SSL_CB_HANDSHAKE_START) {
        // Before the ClientHello is read, so the SSL_CTX is still the one CivetWeb made.
        void* instruments = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), instruments_slot());
        SSL_set_ex_data(mutable_ssl, unfinished_slot(), instruments);
    } else if (where & SSL_CB_HANDSHAKE_DONE) {
        SSL_set_ex_data(mutable_ssl, unfinished_slot(), nullptr);
    }
}

}  // namespace

void ServerContext::add_handler_path(std::string path)
{
    std::lock_guard lock(mu_);
    if (std::find(paths_.begin(), paths_.end(), path) == paths_.end()) paths_.push_back(std::move(path));
}

std::string ServerContext::handler_label(std::string_view uri) const
{
    std::lock_guard lock(mu_);
    for (const auto& p : paths_)
        if (p == uri) return p;
    return "other";
}

int begin_request(mg_connection*)
{
    request_start = std::chrono::steady_clock::now();
    reset_sent_status();
    return 0;  // CivetWeb goes on with the request
}

void end_request(const mg_connection* conn, int status)
{
    try {
        const ServerContext* context = context_of(conn);
        if (!context || !context->instruments) return;
        // Our handlers write their status line themselves (http::send), which CivetWeb does not see.
        const int sent = sent_status();
        const mg_request_info* info = mg_get_request_info(conn);
        const double seconds =
            request_start == std::chrono::steady_clock::time_point{}
                ? 0.0
                : std::chrono::duration<double>(std::chrono::steady_clock::now() - request_start).count();
        request_start = {};
        context->instruments->record_http_request(
            context->handler_label(info && info->local_uri ? info->local_uri : ""), sent ? sent : status, seconds);
    } catch (...) {  // std::bad_alloc for the label: this request goes unrecorded
    }
}

void count_failed_handshakes(ssl_ctx_st* ctx, instr::Instruments& instruments)
{
    SSL_CTX_set_ex_data(ctx, instruments_slot(), &instruments);
    SSL_CTX_set_info_callback(ctx, on_tls_state);
}

}  // namespace http
