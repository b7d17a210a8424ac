// TLS for the HTTP server: one TlsMaterial per version of the web config file (certificate chain, key,
// client CA store, protocol versions, ciphers and curves), applied to each connection from OpenSSL's
// ClientHello callback on CivetWeb's SSL_CTX. Because every handshake asks WebSecurityState for the current
// material, a renewed certificate or a new client CA takes effect for the next connection, with no
// restart, as exporter-toolkit does.
//
// CivetWeb 1.15 (Debian 12) loads OpenSSL with dlopen("libssl.so") and looks up
// SSL_get_peer_certificate, which OpenSSL 3 no longer exports (civetweb issue #1334): the first TLS
// connection would call a null pointer. src/http/openssl_shim provides that one function in a library
// whose soname is "libssl.so", which the exporter links, so dlopen finds it already loaded;
// check_civetweb_openssl() verifies this before TLS is turned on.
//
// Ownership: TlsMaterial owns its OpenSSL objects (RAII); apply() takes references for the connection.
// Throws: the constructor and check_civetweb_openssl() throw std::runtime_error naming the file or
// setting; apply() is noexcept (called on CivetWeb worker threads during the handshake).
#pragma once

#include <memory>
#include <string>

#include "config/web_security.hpp"

using SSL = struct ssl_st;
// NOLINTNEXTLINE(readability-identifier-naming): OpenSSL's own name for its type, as <openssl/ssl.h> declares it
using SSL_CTX = struct ssl_ctx_st;

namespace http {

class TlsMaterial {
public:
    explicit TlsMaterial(const config::TlsServerConfig& config);
    ~TlsMaterial();
    TlsMaterial(const TlsMaterial&) = delete;
    TlsMaterial& operator=(const TlsMaterial&) = delete;

    // Configures one server connection; false when OpenSSL refused (the handshake is then aborted).
    bool apply(SSL* ssl) const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Where a handshake gets the material in force (WebSecurityState); called on CivetWeb worker threads.
class TlsMaterialSource {
public:
    virtual std::shared_ptr<const TlsMaterial> tls_material() noexcept = 0;

protected:
    ~TlsMaterialSource() = default;
};

// Installs the ClientHello callback on CivetWeb's SSL_CTX (from its init_ssl callback). `source` must
// outlive the context.
void install_tls(SSL_CTX* ctx, TlsMaterialSource& source);

// Throws when CivetWeb's run-time OpenSSL lookup would fail or crash (see above).
void check_civetweb_openssl();

}  // namespace http
