/* Loaded as "libssl.so" (its soname) so that CivetWeb's dlopen("libssl.so") finds it already in the
 * process: see src/http/tls_material.hpp. Everything CivetWeb looks up resolves through this library's
 * dependency on the real libssl.so.3; the one function OpenSSL 3 renamed is provided here. */
#include <openssl/ssl.h>

#undef SSL_get_peer_certificate
X509* SSL_get_peer_certificate(const SSL* ssl);

/* OpenSSL 1.1's SSL_get_peer_certificate returned a new reference, as SSL_get1_peer_certificate does. */
X509* SSL_get_peer_certificate(const SSL* ssl) { return SSL_get1_peer_certificate(ssl); }

int virt_exporter_openssl_shim(void);
int virt_exporter_openssl_shim(void) { return 1; }
