#include <doctest/doctest.h>

#include "config/web_security.hpp"

namespace {

const std::string hash = "$2b$04$cji7CsdShh./lv6iEObW/uXUtIJQqq7Qd.484wEA3LFpwqy0CiP6W";

std::string error_of(const std::string& yaml)
{
    try {
        config::parse_web_security(yaml, "/etc/vx/web.yml");
    } catch (const config::ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("an exporter-toolkit web config with TLS, client certificates and users is read whole")
{
    const auto s = config::parse_web_security(
        "tls_server_config:\n"
        "  cert_file: tls.crt\n"
        "  key_file: /keys/tls.key\n"
        "  client_auth_type: RequireAndVerifyClientCert\n"
        "  client_ca_file: ca.crt\n"
        "  min_version: TLS13\n"
        "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n"
        "  prefer_server_cipher_suites: false\n"
        "  curve_preferences: [X25519]\n"
        "basic_auth_users:\n"
        "  prometheus: " +
            hash + "\n",
        "/etc/vx/web.yml");
    REQUIRE(s.tls);
    CHECK(s.tls->cert_file == "/etc/vx/tls.crt");  // relative to the file's folder
    CHECK(s.tls->key_file == "/keys/tls.key");
    CHECK(s.tls->client_ca_file == "/etc/vx/ca.crt");
    CHECK(s.tls->client_auth_type == config::ClientAuth::require_and_verify);
    CHECK(s.tls->min_version == config::TlsVersion::tls13);
    CHECK(s.tls->cipher_suites == std::vector<std::string>{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
    CHECK_FALSE(s.tls->prefer_server_cipher_suites);
    CHECK(s.tls->curve_preferences == std::vector<std::string>{"X25519"});
    CHECK(s.basic_auth_users.at("prometheus") == hash);
    CHECK(s.auth_enabled());
}

TEST_CASE("an empty web config means plain HTTP without authentication")
{
    const auto s = config::parse_web_security("# nothing yet\n", "web.yml");
    CHECK_FALSE(s.tls);
    CHECK_FALSE(s.auth_enabled());
    CHECK_FALSE(config::parse_web_security("tls_server_config:\nbasic_auth_users:\n", "web.yml").tls);
}

TEST_CASE("a web config that would leave something open or unclear is refused with file, line and key")
{
    CHECK(error_of("tls_server_config:\n  cert_file: a\n") ==
          "/etc/vx/web.yml:2: tls_server_config: cert_file and key_file are both required");
    CHECK(
        error_of("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n")
            .find("client_ca_file: is required with client_auth_type RequireAndVerifyClientCert") != std::string::npos);
    CHECK(error_of("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: c\n")
              .find("does not verify client certificates") != std::string::npos);
    CHECK(error_of("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS10\n") ==
          "/etc/vx/web.yml:4: tls_server_config.min_version: must be TLS12 or TLS13 (older versions are not offered)");
    CHECK(error_of("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Sometimes\n")
              .find("client_auth_type: must be one of") != std::string::npos);
    CHECK(error_of("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_allowed_sans: [x]\n")
              .find("client_allowed_sans: not supported") != std::string::npos);
    CHECK(error_of("http_server_config:\n  http2: false\n").find("http_server_config: not supported") !=
          std::string::npos);
    CHECK(error_of("basic_auth_user:\n  a: b\n") == "/etc/vx/web.yml:1: basic_auth_user: unknown key");
    CHECK(error_of("basic_auth_users: [a]\n").find("must be a map of user: bcrypt hash") != std::string::npos);
    CHECK(error_of("tls_server_config: [\n").find("/etc/vx/web.yml:") == 0);
}

TEST_CASE("a user whose password is not a bcrypt hash is refused without showing what was there")
{
    const std::string e = error_of("basic_auth_users:\n  prometheus: hunter2-plain\n");
    CHECK(e.find("/etc/vx/web.yml:2: basic_auth_users.prometheus: must be a bcrypt hash") == 0);
    CHECK(e.find("hunter2") == std::string::npos);
    CHECK(error_of("basic_auth_users:\n  \"a:b\": " + hash + "\n").find("without ':'") != std::string::npos);
}

TEST_CASE("bcrypt hashes are recognized by prefix, cost and alphabet")
{
    CHECK(config::is_bcrypt_hash(hash));
    CHECK(config::is_bcrypt_hash("$2y$10$0il/g4FbzSuTvIAwXSIfJu0va9xtHaFQpoQajRp8Ah89jmOylBlJe"));
    CHECK_FALSE(config::is_bcrypt_hash("$2x$10$0il/g4FbzSuTvIAwXSIfJu0va9xtHaFQpoQajRp8Ah89jmOylBlJe"));
    CHECK_FALSE(config::is_bcrypt_hash("$2y$03$0il/g4FbzSuTvIAwXSIfJu0va9xtHaFQpoQajRp8Ah89jmOylBlJe"));
    CHECK_FALSE(config::is_bcrypt_hash("$2y$10$0il/g4FbzSuTvIAwXSIfJu0va9xtHaFQpoQajRp8Ah89jmOylBl!e"));
    CHECK_FALSE(config::is_bcrypt_hash("$2y$10$short"));
    CHECK_FALSE(config::is_bcrypt_hash("$6$rounds=5000$salt$hash"));
}

TEST_CASE("a web config file that cannot be read names the file")
{
    CHECK_THROWS_WITH_AS(config::load_web_security("/nonexistent/web.yml"),
                         doctest::Contains("web config \"/nonexistent/web.yml\": cannot read"), config::ConfigError);
}
