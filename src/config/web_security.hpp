// The web security file (`--web.config.file`, `web.config_file`) in Prometheus exporter-toolkit's
// web-config.yml layout, so operators reuse the file they already have for node_exporter:
//
//   tls_server_config:
//     cert_file: /etc/virt-exporter/tls.crt      # PEM, the leaf first, then intermediates
//     key_file: /etc/virt-exporter/tls.key
//     client_auth_type: RequireAndVerifyClientCert
//     client_ca_file: /etc/virt-exporter/clients-ca.crt
//     min_version: TLS12                         # TLS12 (default) or TLS13; lower is refused
//     max_version: TLS13
//     cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]   # IANA names, TLS 1.2 only
//     prefer_server_cipher_suites: true
//     curve_preferences: [X25519, CurveP256]
//   basic_auth_users:
//     prometheus: $2y$10$...                     # bcrypt hashes only
//
// Relative file names are relative to the web config file's folder, as in exporter-toolkit. Keys that
// would weaken or change what an operator asked for if ignored (client_allowed_sans, http2, headers)
// are refused with a message rather than silently dropped; an unknown key is an error too.
//
// Pure parsing: no certificate or key is opened here (src/http loads them). Throws ConfigError
// "<file>:<line>: <key>: <problem>"; a message never contains a password hash.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace config {

struct TlsServerConfig {
    std::string cert_file;
    std::string key_file;
    ClientAuth client_auth_type = ClientAuth::none;  // names and meaning in choices.hpp
    std::string client_ca_file;
    TlsVersion min_version = TlsVersion::tls12;
    std::optional<TlsVersion> max_version;  // unset: the newest the library has
    std::vector<std::string> cipher_suites;
    bool prefer_server_cipher_suites = true;
    std::vector<std::string> curve_preferences;

    friend bool operator==(const TlsServerConfig&, const TlsServerConfig&) = default;
};

struct WebSecurity {
    std::optional<TlsServerConfig> tls;
    std::map<std::string, std::string> basic_auth_users;  // user → bcrypt hash

    bool auth_enabled() const { return !basic_auth_users.empty(); }
    friend bool operator==(const WebSecurity&, const WebSecurity&) = default;
};

// Parses the text of a web config file; `source` names it in messages and relative paths resolve
// against its folder.
WebSecurity parse_web_security(const std::string& yaml_text, const std::string& source);
// Reads and parses `path`. Throws ConfigError naming the file when it cannot be read.
WebSecurity load_web_security(const std::string& path);

// True for a bcrypt hash crypt(3) can check: "$2a$", "$2b$" or "$2y$", a cost 04-31, 53 characters of
// bcrypt's base64. Exposed for tests.
bool is_bcrypt_hash(const std::string& text) noexcept;

}  // namespace config
