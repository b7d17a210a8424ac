// The server with a web config file: TLS, client certificates, basic auth and reloading, through libcurl.
#include <doctest/doctest.h>

#include <curl/curl.h>

#include <cstdlib>

#include "config/config.hpp"
#include "http/server.hpp"
#include "http/web_security_state.hpp"
#include "prom/exposition.hpp"
#include "support/manual_clock.hpp"
#include "support/sample_snapshot.hpp"
#include "support/temp_dir.hpp"
#include "util/c_handle.hpp"

using namespace std::chrono_literals;

namespace {

const std::string s3cret_hash = "$2b$04$cji7CsdShh./lv6iEObW/uXUtIJQqq7Qd.484wEA3LFpwqy0CiP6W";

std::string tls_file(const std::string& name)
{
    return std::string(std::getenv("VIRT_EXPORTER_FIXTURES")) + "/tls/" + name;
}

struct Client {
    std::string ca = tls_file("ca.pem");
    std::string cert, key, userpwd;
    long max_tls = CURL_SSLVERSION_MAX_DEFAULT;
    long min_tls = CURL_SSLVERSION_TLSv1;
};

struct Result {
    long status = 0;
    std::string body, error, serial;
};

Result get(const std::string& url, const Client& c)
{
    Result r;
    const util::CHandle<CURL, curl_easy_cleanup> curl(curl_easy_init());
    auto write = +[](char* p, size_t s, size_t n, void* ud) {
        static_cast<std::string*>(ud)->append(p, s * n);
        return s * n;
    };
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_CAINFO, c.ca.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_SSLVERSION, c.min_tls | c.max_tls);
    if (!c.cert.empty()) curl_easy_setopt(curl.get(), CURLOPT_SSLCERT, c.cert.c_str());
    if (!c.key.empty()) curl_easy_setopt(curl.get(), CURLOPT_SSLKEY, c.key.c_str());
    if (!c.userpwd.empty()) curl_easy_setopt(curl.get(), CURLOPT_USERPWD, c.userpwd.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_CERTINFO, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &r.body);
    const CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK) r.error = curl_easy_strerror(rc);
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &r.status);
    curl_certinfo* info = nullptr;
    if (curl_easy_getinfo(curl.get(), CURLINFO_CERTINFO, &info) == CURLE_OK && info && info->num_of_certs > 0)
        for (curl_slist* s = info->certinfo[0]; s; s = s->next)
            if (std::string_view(s->data).starts_with("Serial Number:")) r.serial = s->data + 14;
    return r;
}

std::string tls_section(const std::string& cert = "server", const std::string& extra = "")
{
    return "tls_server_config:\n  cert_file: " + tls_file(cert + ".pem") + "\n  key_file: " + tls_file(cert + ".key") +
           "\n" + extra;
}

struct Rig {
    test_support::ManualClock clock;
    collect::DeviceCache cache{clock, 300s};
    collect::SnapshotStore store{[] { return test_support::sample_snapshot(); }, clock, 0ms};
    prom::Exposition metrics{store, cache, clock, 2000ms};
    std::shared_ptr<http::WebSecurityState> security;
    std::unique_ptr<http::Server> server;

    explicit Rig(const std::string& web_config_path)
        : security(std::make_shared<http::WebSecurityState>(web_config_path, clock))
    {
        http::ServerOptions options{{"127.0.0.1:0"}, "/metrics", 4, 5000ms, security};
        server = std::make_unique<http::Server>(
            options, metrics,
            http::StatusSource{"test:///demo", [] { return true; }, [this] { return store.latest(); }, nullptr, nullptr,
                               nullptr, nullptr});
    }
    std::string url(const std::string& scheme, const std::string& path = "/metrics") const
    {
        return scheme + "://localhost:" + std::to_string(server->ports().at(0)) + path;
    }
};

}  // namespace

TEST_CASE("with tls_server_config the server speaks TLS 1.2 or newer with the configured certificate")
{
    test_support::TempDir dir;
    Rig rig(dir.write("web.yml", tls_section()));
    const auto ok = get(rig.url("https"), {});
    CHECK(ok.error.empty());
    CHECK(ok.status == 200);
    CHECK(ok.body.find("# HELP libvirt_up") != std::string::npos);
    CHECK(ok.serial.find("1001") != std::string::npos);
    Client old;
    old.max_tls = CURL_SSLVERSION_MAX_TLSv1_1;
    CHECK_FALSE(get(rig.url("https"), old).error.empty());
    CHECK_FALSE(get(rig.url("http"), {}).error.empty());  // no plain HTTP on a TLS port
}

TEST_CASE("min_version TLS13 refuses a TLS 1.2 client")
{
    test_support::TempDir dir;
    Rig rig(dir.write("web.yml", tls_section("server", "  min_version: TLS13\n")));
    Client tls12;
    tls12.max_tls = CURL_SSLVERSION_MAX_TLSv1_2;
    CHECK_FALSE(get(rig.url("https"), tls12).error.empty());
    CHECK(get(rig.url("https"), {}).status == 200);
}

TEST_CASE("RequireAndVerifyClientCert lets in only clients with a certificate from the client CA")
{
    test_support::TempDir dir;
    Rig rig(dir.write("web.yml", tls_section("server",
                                             "  client_auth_type: RequireAndVerifyClientCert\n"
                                             "  client_ca_file: " +
                                                 tls_file("client-ca.pem") + "\n")));
    CHECK_FALSE(get(rig.url("https"), {}).error.empty());
    Client stranger;
    stranger.cert = tls_file("stranger.pem");
    stranger.key = tls_file("stranger.key");
    CHECK_FALSE(get(rig.url("https"), stranger).error.empty());
    Client prometheus;
    prometheus.cert = tls_file("client.pem");
    prometheus.key = tls_file("client.key");
    const auto ok = get(rig.url("https"), prometheus);
    CHECK(ok.error.empty());
    CHECK(ok.status == 200);
}

TEST_CASE("basic auth asks every path for credentials and lets the right ones in")
{
    test_support::TempDir dir;
    Rig rig(dir.write("web.yml", tls_section() + "basic_auth_users:\n  prometheus: " + s3cret_hash + "\n"));
    for (const char* path : {"/metrics", "/", "/healthz", "/api/status", "/api/config", "/nonexistent"})
        CHECK_MESSAGE(get(rig.url("https", path), {}).status == 401, path);
    Client wrong;
    wrong.userpwd = "prometheus:guess";
    CHECK(get(rig.url("https"), wrong).status == 401);
    Client right;
    right.userpwd = "prometheus:s3cret";
    CHECK(get(rig.url("https"), right).status == 200);
    CHECK(get(rig.url("https", "/healthz"), right).status == 200);
}

TEST_CASE("a changed web config is looked for once a second on the injected clock")
{
    test_support::TempDir dir;
    const std::string path = dir.write("web.yml", tls_section());
    Rig rig(path);
    CHECK(get(rig.url("https"), {}).serial.find("1001") != std::string::npos);
    dir.write("web.yml", tls_section("server2"));
    rig.clock.advance(900ms);  // within the second: the files are not looked at again
    CHECK(get(rig.url("https"), {}).serial.find("1001") != std::string::npos);
    rig.clock.advance(200ms);
    CHECK(get(rig.url("https"), {}).serial.find("1002") != std::string::npos);
}

TEST_CASE("a changed web config applies to the next request; a broken one leaves the old in force")
{
    test_support::TempDir dir;
    const std::string path = dir.write("web.yml", tls_section());
    Rig rig(path);
    CHECK(get(rig.url("https"), {}).serial.find("1001") != std::string::npos);

    dir.write("web.yml", tls_section("server2") + "basic_auth_users:\n  prometheus: " + s3cret_hash + "\n");
    rig.security->check_now();
    Client right;
    right.userpwd = "prometheus:s3cret";
    CHECK(get(rig.url("https"), {}).status == 401);
    const auto renewed = get(rig.url("https"), right);
    CHECK(renewed.status == 200);
    CHECK(renewed.serial.find("1002") != std::string::npos);

    dir.write("web.yml", "tls_server_config:\n  cert_file: " + tls_file("server.pem") +
                             "\n  key_file: " + tls_file("server2.key") + "\n");  // a key of another certificate
    rig.security->check_now();
    const auto still = get(rig.url("https"), {});
    CHECK_MESSAGE(still.status == 401, still.error);  // still the previous file's users
    CHECK(get(rig.url("https"), right).serial.find("1002") != std::string::npos);

    dir.write("web.yml", "basic_auth_users:\n");  // TLS off needs a restart: refused, previous in force
    rig.security->check_now();
    CHECK(get(rig.url("https"), right).status == 200);
    const auto anonymous = get(rig.url("https"), {});
    CHECK_MESSAGE(anonymous.status == 401, anonymous.error);
}

TEST_CASE("a certificate and key that do not match stop the start with both file names")
{
    test_support::TempDir dir;
    const std::string path = dir.write("web.yml", "tls_server_config:\n  cert_file: " + tls_file("server.pem") +
                                                      "\n  key_file: " + tls_file("server2.key") + "\n");
    CHECK_THROWS_WITH_AS(http::WebSecurityState{path}, doctest::Contains("does not match cert_file"),
                         std::runtime_error);
}
