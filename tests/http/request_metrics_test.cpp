// The HTTP side of the exporter's own instrumentation (http/request_metrics.hpp): requests by handler and
// status, basic-auth refusals by reason, TLS handshakes that never finished, through a real server.
#include <doctest/doctest.h>

#include <cstdlib>

#include "http/request_metrics.hpp"
#include "http/server.hpp"
#include "http/web_security_state.hpp"
#include "instr/instruments.hpp"
#include "prom/exposition.hpp"
#include "support/eventually.hpp"
#include "support/http_get.hpp"
#include "support/manual_clock.hpp"
#include "support/sample_snapshot.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;

namespace {

// "s3cret", bcrypt cost 4 (as in tls_server_test.cpp).
const std::string s3cret_hash = "$2b$04$cji7CsdShh./lv6iEObW/uXUtIJQqq7Qd.484wEA3LFpwqy0CiP6W";

std::string tls_file(const std::string& name)
{
    return std::string(std::getenv("VIRT_EXPORTER_FIXTURES")) + "/tls/" + name;
}

// A server recording into its own Registry; `web_config` (may be empty) is a web config file's text.
struct Rig {
    test_support::ManualClock clock;
    test_support::TempDir dir;
    collect::DeviceCache cache{clock, 300s};
    collect::SnapshotStore store{[] { return test_support::sample_snapshot(); }, clock, 0ms};
    prom::Exposition metrics{store, cache, clock, 2000ms};
    prometheus::Registry registry;
    instr::Instruments instruments{registry};
    std::unique_ptr<http::Server> server;

    explicit Rig(const std::string& web_config = "")
    {
        http::ServerOptions options{{"127.0.0.1:0"}, "/metrics", 4, 5000ms, nullptr};
        if (!web_config.empty())
            options.security = std::make_shared<http::WebSecurityState>(dir.write("web.yml", web_config), clock);
        options.instruments = &instruments;
        server = std::make_unique<http::Server>(
            options, metrics,
            http::StatusSource{"test:///demo", [] { return true; }, [this] { return store.latest(); }, nullptr, nullptr,
                               nullptr, nullptr});
    }
    std::string url(const std::string& path) const
    {
        return "http://127.0.0.1:" + std::to_string(server->ports().at(0)) + path;
    }
    bool has(const std::string& line) const
    {
        std::string text;
        instr::append_text(registry, text);
        return text.find("\n" + line + "\n") != std::string::npos;
    }
};

}  // namespace

TEST_CASE("a handler's label is the path it is registered under, and any other path is other")
{
    http::ServerContext context(nullptr, nullptr);
    context.add_handler_path("/metrics");
    context.add_handler_path("/");
    context.add_handler_path("/metrics");
    CHECK(context.handler_label("/metrics") == "/metrics");
    CHECK(context.handler_label("/") == "/");
    CHECK(context.handler_label("/metrics/x") == "other");
    CHECK(context.handler_label("/wp-login.php") == "other");
}

TEST_CASE("each request is counted under its handler and the status it was answered with, and timed")
{
    Rig rig;
    CHECK(test_support::http_request(rig.url("/metrics")).status == 200);
    CHECK(test_support::http_request(rig.url("/metrics")).status == 200);
    CHECK(test_support::http_request(rig.url("/healthz")).status == 200);
    CHECK(test_support::http_request(rig.url("/no-such-page")).status == 404);
    CHECK(test_support::http_request(rig.url("/api/push/start"), {}, "POST").status == 404);  // no push configured
    // end_request runs on the worker after the answer went out: a request may be counted a moment later.
    for (const std::string line : {"virt_exporter_http_requests_total{code=\"200\",handler=\"/metrics\"} 2",
                                   "virt_exporter_http_requests_total{code=\"200\",handler=\"/healthz\"} 1",
                                   "virt_exporter_http_requests_total{code=\"404\",handler=\"other\"} 1",
                                   "virt_exporter_http_requests_total{code=\"404\",handler=\"/api/push/start\"} 1",
                                   "virt_exporter_http_request_duration_seconds_count{handler=\"/metrics\"} 2"})
        CHECK_MESSAGE(test_support::eventually([&] { return rig.has(line); }), line);
}

TEST_CASE("basic auth refusals are counted by reason: no credentials, wrong ones")
{
    Rig rig("basic_auth_users:\n  prometheus: " + s3cret_hash + "\n");
    CHECK(test_support::http_request(rig.url("/metrics")).status == 401);
    CHECK(test_support::http_request(rig.url("/metrics"), {"Authorization: Basic cHJvbWV0aGV1czp3cm9uZw=="}).status ==
          401);  // prometheus:wrong
    CHECK(test_support::http_request(rig.url("/metrics"), {"Authorization: Basic cHJvbWV0aGV1czpzM2NyZXQ="}).status ==
          200);  // prometheus:s3cret
    CHECK(rig.has("virt_exporter_http_auth_failures_total{reason=\"missing_credentials\"} 1"));
    CHECK(rig.has("virt_exporter_http_auth_failures_total{reason=\"wrong_credentials\"} 1"));
    CHECK(test_support::eventually(
        [&] { return rig.has("virt_exporter_http_requests_total{code=\"401\",handler=\"/metrics\"} 2"); }));
}

TEST_CASE("a client that speaks plain HTTP to the TLS port is counted as a failed TLS handshake")
{
    Rig rig("tls_server_config:\n  cert_file: " + tls_file("server.pem") + "\n  key_file: " + tls_file("server.key") +
            "\n");
    const std::string port = std::to_string(rig.server->ports().at(0));
    CHECK(test_support::http_request("http://127.0.0.1:" + port + "/metrics", {}, "GET", 3000).status == 0);
    CHECK(test_support::eventually([&] { return rig.has("virt_exporter_tls_handshake_failures_total 1"); }));
}
