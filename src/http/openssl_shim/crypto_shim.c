/* Loaded as "libcrypto.so" (its soname) so that CivetWeb's dlopen("libcrypto.so") works without
 * libssl-dev's development symlink: every lookup resolves through the dependency on libcrypto.so.3. */
#include <openssl/crypto.h>

int virt_exporter_libcrypto_shim(void);
/* Calling into libcrypto keeps the dependency on it whatever the linker's --as-needed says. */
int virt_exporter_libcrypto_shim(void) { return OpenSSL_version_num() != 0; }
