#include "http/tls_material.hpp"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <map>
#include <stdexcept>

#include "util/c_handle.hpp"
#include "util/log.hpp"

extern "C" int virt_exporter_openssl_shim(void);
extern "C" int virt_exporter_libcrypto_shim(void);

namespace http {
namespace {

using X509Ptr = util::CHandle<X509, X509_free>;
using KeyPtr = util::CHandle<EVP_PKEY, EVP_PKEY_free>;
using StorePtr = util::CHandle<X509_STORE, X509_STORE_free>;
using CtxPtr = util::CHandle<SSL_CTX, SSL_CTX_free>;
using BioPtr = util::CHandle<BIO, BIO_free>;
void free_chain(STACK_OF(X509) * s)
{
    sk_X509_pop_free(s, X509_free);
}
void free_names(STACK_OF(X509_NAME) * s)
{
    sk_X509_NAME_pop_free(s, X509_NAME_free);
}
using ChainPtr = util::CHandle<STACK_OF(X509), free_chain>;
using NamesPtr = util::CHandle<STACK_OF(X509_NAME), free_names>;

std::string openssl_error()
{
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "unknown OpenSSL error";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

[[noreturn]] void fail(const std::string& what)
{
    throw std::runtime_error("web config: " + what);
}

BioPtr open_file(const std::string& key, const std::string& path)
{
    BioPtr bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) fail(key + " \"" + path + "\": cannot read: " + openssl_error());
    return bio;
}

int tls_version(config::TlsVersion version)
{
    return version == config::TlsVersion::tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
}

// Go's curve names (crypto/tls CurveID) → OpenSSL group names.
std::string curve_name(const std::string& go_name)
{
    static const std::map<std::string, std::string> names{
        {"CurveP256", "P-256"}, {"CurveP384", "P-384"}, {"CurveP521", "P-521"}, {"X25519", "X25519"}};
    const auto it = names.find(go_name);
    if (it == names.end())
        fail("tls_server_config.curve_preferences: unknown curve \"" + go_name +
             "\" (CurveP256, CurveP384, CurveP521, X25519)");
    return it->second;
}

int accept_any_certificate(int, X509_STORE_CTX*)
{
    return 1;
}

int on_client_hello(SSL* ssl, int* alert, void* arg)
{
    auto* source = static_cast<TlsMaterialSource*>(arg);
    const auto material = source->tls_material();
    if (material && material->apply(ssl)) return SSL_CLIENT_HELLO_SUCCESS;
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
}

}  // namespace

struct TlsMaterial::Impl {
    X509Ptr cert;
    KeyPtr key;
    ChainPtr chain{sk_X509_new_null()};
    StorePtr client_cas;
    int min_version = TLS1_2_VERSION;
    int max_version = 0;
    int verify_mode = SSL_VERIFY_NONE;
    bool verify_chain = false;  // false: a client certificate is asked for but not checked
    std::string ciphers;        // OpenSSL names for TLS 1.2; empty: the library's default
    std::string groups;
    bool prefer_server = true;
};

TlsMaterial::TlsMaterial(const config::TlsServerConfig& c) : impl_(std::make_unique<Impl>())
{
    // A reload runs inside a handshake's ClientHello callback; an error left in this thread's OpenSSL
    // queue would make CivetWeb's SSL_accept on it fail. Whatever happens here, the queue ends empty.
    struct ClearErrors {
        ~ClearErrors() { ERR_clear_error(); }
    } clear_errors;
    auto& m = *impl_;
    {
        const auto bio = open_file("tls_server_config.cert_file", c.cert_file);
        m.cert.reset(PEM_read_bio_X509_AUX(bio.get(), nullptr, nullptr, nullptr));
        if (!m.cert)
            fail("tls_server_config.cert_file \"" + c.cert_file + "\": no PEM certificate: " + openssl_error());
        while (X509* extra = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
            sk_X509_push(m.chain.get(), extra);
        ERR_clear_error();  // the end of the file reads as an error
    }
    {
        const auto bio = open_file("tls_server_config.key_file", c.key_file);
        m.key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
        // OpenSSL's message says what is wrong with the file, never what is in it.
        if (!m.key) fail("tls_server_config.key_file \"" + c.key_file + "\": no PEM private key: " + openssl_error());
    }
    if (X509_check_private_key(m.cert.get(), m.key.get()) != 1)
        fail("tls_server_config: key_file \"" + c.key_file + "\" does not match cert_file \"" + c.cert_file + "\"");
    if (!c.client_ca_file.empty()) {
        m.client_cas.reset(X509_STORE_new());
        if (X509_STORE_load_file(m.client_cas.get(), c.client_ca_file.c_str()) != 1)
            fail("tls_server_config.client_ca_file \"" + c.client_ca_file + "\": " + openssl_error());
        const NamesPtr names(SSL_load_client_CA_file(c.client_ca_file.c_str()));
        if (!names || sk_X509_NAME_num(names.get()) == 0)
            fail("tls_server_config.client_ca_file \"" + c.client_ca_file + "\": no certificate in it");
    }
    m.verify_chain = config::verifies_client_cert(c.client_auth_type);
    if (config::asks_for_client_cert(c.client_auth_type)) m.verify_mode = SSL_VERIFY_PEER;
    if (config::requires_client_cert(c.client_auth_type)) m.verify_mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    m.min_version = tls_version(c.min_version);
    m.max_version = c.max_version ? tls_version(*c.max_version) : 0;
    m.prefer_server = c.prefer_server_cipher_suites;
    for (const auto& suite : c.cipher_suites) {
        const char* name = OPENSSL_cipher_name(suite.c_str());
        if (!name || std::string(name) == "(NONE)")
            fail("tls_server_config.cipher_suites: unknown cipher suite \"" + suite + "\" (IANA names, TLS 1.2)");
        m.ciphers += (m.ciphers.empty() ? "" : ":") + std::string(name);
    }
    for (const auto& curve : c.curve_preferences) m.groups += (m.groups.empty() ? "" : ":") + curve_name(curve);
    // Try the lists once now so that a bad combination stops the start, not every handshake.
    const CtxPtr probe(SSL_CTX_new(TLS_server_method()));
    if (!probe) fail("cannot create a TLS context: " + openssl_error());
    if (!m.ciphers.empty() && SSL_CTX_set_cipher_list(probe.get(), m.ciphers.c_str()) != 1)
        fail("tls_server_config.cipher_suites: none usable: " + openssl_error());
    if (!m.groups.empty() && SSL_CTX_set1_groups_list(probe.get(), m.groups.c_str()) != 1)
        fail("tls_server_config.curve_preferences: not usable: " + openssl_error());
}

TlsMaterial::~TlsMaterial() = default;

bool TlsMaterial::apply(SSL* ssl) const noexcept
{
    const auto& m = *impl_;
    bool ok = SSL_set_min_proto_version(ssl, m.min_version) == 1 &&
              SSL_set_max_proto_version(ssl, m.max_version) == 1 &&
              SSL_use_cert_and_key(ssl, m.cert.get(), m.key.get(), m.chain.get(), 1) == 1;
    if (ok && !m.ciphers.empty()) ok = SSL_set_cipher_list(ssl, m.ciphers.c_str()) == 1;
    if (ok && !m.groups.empty()) ok = SSL_set1_groups_list(ssl, m.groups.c_str()) == 1;
    if (m.prefer_server)
        SSL_set_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
    else
        SSL_clear_options(ssl, SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_set_verify(ssl, m.verify_mode, m.verify_chain ? nullptr : accept_any_certificate);
    // No list of acceptable CA names is sent: set per connection from here, OpenSSL 3.0 sends an empty
    // certificate_authorities extension in TLS 1.3, which Go clients (Prometheus) reject as malformed.
    // The list is only a hint; clients send the certificate they are configured with.
    if (ok && m.client_cas) ok = SSL_set1_verify_cert_store(ssl, m.client_cas.get()) == 1;
    if (!ok) {
        util::log_warn("http", "TLS handshake refused: cannot apply the certificate settings: " + openssl_error());
    }
    return ok;
}

void install_tls(SSL_CTX* ctx, TlsMaterialSource& source)
{
    SSL_CTX_set_client_hello_cb(ctx, on_client_hello, &source);
    // A session resumed with a ticket skips the ClientHello settings above; full handshakes only.
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    // A connection that waits (for its handshake to go on, or for the next request of a kept-alive
    // scrape) would otherwise hold a 16 KiB read buffer and a 16 KiB write buffer; with up to
    // web.max_connections of them that is the bulk of the RSS a crowd of TLS clients costs.
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
}

void check_civetweb_openssl()
{
    // Also keeps both shims linked (--as-needed would drop a library nothing calls).
    if (virt_exporter_openssl_shim() != 1 || virt_exporter_libcrypto_shim() != 1) fail("the OpenSSL shim is broken");
    for (const char* library : {"libssl.so", "libcrypto.so"}) {
        void* handle = dlopen(library, RTLD_NOW | RTLD_NOLOAD);
        const bool usable =
            handle && (std::string(library) != "libssl.so" || dlsym(handle, "SSL_get_peer_certificate"));
        if (handle) dlclose(handle);
        if (!usable)
            fail(std::string("TLS is unavailable: CivetWeb would load ") + library +
                 " without the functions it needs (install virt-exporter's OpenSSL shim next to the binary)");
    }
}

}  // namespace http
