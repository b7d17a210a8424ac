#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "http/handlers.hpp"
#include "http/response.hpp"
#include "http/server.hpp"
#include "prom/exposition.hpp"
#include "support/http_get.hpp"
#include "support/manual_clock.hpp"
#include "support/sample_snapshot.hpp"
#include "util/gzip.hpp"

using namespace std::chrono_literals;

namespace {

struct Rig {
    test_support::ManualClock clock;
    collect::DeviceCache cache{clock, 300s};
    std::atomic<int> collections{0};
    std::atomic<bool> connected{true};
    std::atomic<bool> push_running{true};
    std::atomic<int> collection_ms{0};  // how long a collection takes (real time)
    collect::SnapshotStore store{[this] {
                                     ++collections;
                                     if (const int ms = collection_ms.load())
                                         std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                                     return test_support::sample_snapshot();
                                 },
                                 clock, 0ms};
    prom::Exposition metrics{store, cache, clock, 2000ms};
    http::Server server{
        http::ServerOptions{{"127.0.0.1:0"}, "/metrics", 4, 5000ms, nullptr}, metrics,
        http::StatusSource{"test:///demo", [this] { return connected.load(); }, [this] { return store.latest(); },
                           [this] {
                               prom::PushStatus p;
                               p.running = push_running;
                               p.lines_written = 42;
                               p.last_error = "auth (HTTP 401): unauthorized";
                               return p;
                           },
                           [this](bool run) { push_running = run; },
                           [] { return std::string(R"({"push":{"token":"***"}})"); },
                           [] { return std::string(R"({"push":{"token":"***"},"influx_token":"***"})"); }}};
    std::string url(const std::string& path) const
    {
        return "http://127.0.0.1:" + std::to_string(server.ports().at(0)) + path;
    }
};

}  // namespace

TEST_CASE("/metrics answers in text format 0.0.4 with the metric families")
{
    Rig rig;
    const auto r = test_support::http_request(rig.url("/metrics"));
    CHECK(r.error.empty());
    CHECK(r.status == 200);
    CHECK(r.headers.find("Content-Type: text/plain; version=0.0.4; charset=utf-8") != std::string::npos);
    CHECK(r.body.find("# HELP libvirt_up ") != std::string::npos);
    CHECK(r.body.find("libvirt_domain_info_cpu_time_seconds_total{domain=\"one-42\"") != std::string::npos);
}

TEST_CASE("/metrics is gzip-compressed when the client accepts gzip")
{
    Rig rig;
    const auto packed = test_support::http_request(rig.url("/metrics"), {"Accept-Encoding: gzip"});
    CHECK(packed.status == 200);
    CHECK(packed.headers.find("Content-Encoding: gzip") != std::string::npos);
    const std::string text = util::gzip_decompress(packed.body);
    CHECK(text.starts_with("# HELP libvirt_up "));
    CHECK(text.find("libvirt_domain_info_cpu_time_seconds_total{domain=\"one-42\"") != std::string::npos);
    const auto refused = test_support::http_request(rig.url("/metrics"), {"Accept-Encoding: gzip;q=0"});
    CHECK(refused.headers.find("Content-Encoding") == std::string::npos);
}

TEST_CASE("health says alive always, and ready only while libvirt is connected")
{
    Rig rig;
    CHECK(test_support::http_request(rig.url("/healthz")).status == 200);
    CHECK(test_support::http_request(rig.url("/readyz")).status == 200);
    rig.connected = false;
    CHECK(test_support::http_request(rig.url("/healthz")).status == 200);
    CHECK(test_support::http_request(rig.url("/readyz")).status == 503);
}

TEST_CASE("the landing page shows the version, libvirt status and domain count, escaped")
{
    Rig rig;
    test_support::http_request(rig.url("/metrics"));  // one collection, so there is a count to show
    const auto r = test_support::http_request(rig.url("/"));
    CHECK(r.status == 200);
    CHECK(r.headers.find("text/html") != std::string::npos);
    CHECK(r.body.find("id=\"libvirt-status\">connected") != std::string::npos);
    CHECK(r.body.find("<span id=\"domains\">3</span>") != std::string::npos);
    CHECK(r.body.find("test:///demo") != std::string::npos);
    CHECK(test_support::http_request(rig.url("/no-such-page")).status == 404);
}

TEST_CASE("twenty concurrent scrapes share collections instead of each running one")
{
    Rig rig;
    // A collection as slow as a real one: the scrapes then overlap it. (An instant one let a loaded
    // machine serve the twenty one after another, each with a collection of its own: CI saw 20 once.)
    rig.collection_ms = 200;
    std::vector<std::thread> clients;
    std::atomic<int> ok{0};
    for (int i = 0; i < 20; ++i)
        clients.emplace_back([&] {
            if (test_support::http_request(rig.url("/metrics")).status == 200) ++ok;
        });
    for (auto& t : clients) t.join();
    CHECK(ok == 20);
    CHECK(rig.collections < 20);
}

TEST_CASE("Accept-Encoding parsing honours q=0 and wildcards")
{
    CHECK(http::accepts_gzip("gzip"));
    CHECK(http::accepts_gzip("deflate, gzip;q=0.5"));
    CHECK(http::accepts_gzip("*"));
    CHECK_FALSE(http::accepts_gzip("gzip;q=0"));
    CHECK_FALSE(http::accepts_gzip("gzip; q=0.000"));
    CHECK_FALSE(http::accepts_gzip("identity"));
    CHECK_FALSE(http::accepts_gzip("xgzip"));
    CHECK_FALSE(http::accepts_gzip(""));
}

TEST_CASE("listen addresses translate to CivetWeb's port syntax")
{
    CHECK(http::civetweb_listening_port(":9177", true) == "+9177");
    CHECK(http::civetweb_listening_port(":9177", false) == "9177");
    CHECK(http::civetweb_listening_port("127.0.0.1:0", true) == "127.0.0.1:0");
    CHECK(http::civetweb_listening_port("[::1]:9177", true) == "[::1]:9177");
    CHECK_THROWS(http::civetweb_listening_port("9177", true));
    CHECK_THROWS(http::civetweb_listening_port(":99999", true));
    CHECK_THROWS(http::civetweb_listening_port("[::1]:9177", false));
}

TEST_CASE("/api/status reports libvirt, the last collection and the push counters as JSON")
{
    Rig rig;
    test_support::http_request(rig.url("/metrics"));
    const auto r = test_support::http_request(rig.url("/api/status"));
    CHECK(r.status == 200);
    CHECK(r.headers.find("application/json") != std::string::npos);
    CHECK(r.body.find("\"connected\": true") != std::string::npos);
    CHECK(r.body.find("\"domains\": 3") != std::string::npos);
    CHECK(r.body.find("\"lines_written\": 42") != std::string::npos);
    CHECK(r.body.find("\"last_error\": \"auth (HTTP 401): unauthorized\"") != std::string::npos);
}

TEST_CASE("POST /api/push/stop and /start control the push loop from loopback")
{
    Rig rig;
    CHECK(test_support::http_request(rig.url("/api/push/stop"), {}, "POST").status == 200);
    CHECK_FALSE(rig.push_running);
    CHECK(test_support::http_request(rig.url("/api/status")).body.find("\"running\": false") != std::string::npos);
    CHECK(test_support::http_request(rig.url("/api/push/start"), {}, "POST").status == 200);
    CHECK(rig.push_running);
}

TEST_CASE("only loopback addresses count as loopback for the control endpoints")
{
    CHECK(http::is_loopback("127.0.0.1"));
    CHECK(http::is_loopback("127.8.9.10"));
    CHECK(http::is_loopback("::1"));
    CHECK(http::is_loopback("::ffff:127.0.0.1"));
    CHECK_FALSE(http::is_loopback("10.0.0.1"));
    CHECK_FALSE(http::is_loopback("::ffff:192.168.1.2"));
    CHECK_FALSE(http::is_loopback("1270.0.0.1"));
    CHECK_FALSE(http::is_loopback(""));
}

TEST_CASE("/api/vms lists the domains of the last collection with their NICs and disks")
{
    Rig rig;
    REQUIRE(test_support::http_request(rig.url("/metrics")).status == 200);  // one collection
    const auto r = test_support::http_request(rig.url("/api/vms"));
    CHECK(r.status == 200);
    CHECK(r.headers.find("Content-Type: application/json") != std::string::npos);
    CHECK(r.body.find("\"name\": \"one-42\"") != std::string::npos);
    CHECK(r.body.find("\"nics\": [") != std::string::npos);
    CHECK(r.body.find("\"disks\": [") != std::string::npos);
}

TEST_CASE("/api/vms before the first collection is an empty list, not an error")
{
    const auto body = http::vms_json(nullptr);
    CHECK(body.find("\"domains\": []") != std::string::npos);
}

TEST_CASE("/api/config answers with the masked configuration the daemon rendered")
{
    Rig rig;
    const auto r = test_support::http_request(rig.url("/api/config"));
    CHECK(r.status == 200);
    CHECK(r.body == "{\"push\":{\"token\":\"***\"}}\n");
}

TEST_CASE("the landing page shows the push status and links every endpoint")
{
    Rig rig;
    const auto body = test_support::http_request(rig.url("/")).body;
    CHECK(body.find("id=\"push-status\">running") != std::string::npos);
    CHECK(body.find("<span id=\"push-written\">42</span> written") != std::string::npos);
    CHECK(body.find("auth (HTTP 401): unauthorized") != std::string::npos);
    for (const char* link : {"/metrics", "/healthz", "/readyz", "/api/status", "/api/vms", "/api/config"})
        CHECK(body.find("href=\"" + std::string(link) + "\"") != std::string::npos);
}

TEST_CASE("every status the server sends has its reason phrase, and an unknown one its class's name")
{
    for (int status : {200, 204, 400, 401, 403, 404, 405, 413, 429, 500, 503})
        CHECK(std::string_view(http::status_text(status)) != "Unknown");
    CHECK(std::string_view(http::status_text(429)) == "Too Many Requests");  // was "429 Unknown" in 2efd456
    CHECK(std::string_view(http::status_text(499)) == "Client Error");
    CHECK(std::string_view(http::status_text(599)) == "Server Error");
}

TEST_CASE("the seed's GET paths answer as ours, with the seed's field names added")
{
    Rig rig;
    REQUIRE(test_support::http_request(rig.url("/metrics")).status == 200);
    const auto status = test_support::http_request(rig.url("/api/telemetry/status"));
    CHECK(status.status == 200);
    CHECK(status.headers.find("Content-Type: application/json") != std::string::npos);
    CHECK(status.body.find("\"lines_written\": 42") != std::string::npos);
    CHECK(status.body.find("\"total_metrics_written\": 42") != std::string::npos);
    CHECK(status.body.find("\"influx_queue_size\": 0") != std::string::npos);
    CHECK(status.body.find("\"running\": true") != std::string::npos);
    CHECK(test_support::http_request(rig.url("/api/telemetry/vms")).body ==
          test_support::http_request(rig.url("/api/vms")).body);
    CHECK(test_support::http_request(rig.url("/api/telemetry/config")).body ==
          "{\"push\":{\"token\":\"***\"},\"influx_token\":\"***\"}\n");
}

TEST_CASE("the seed's start and stop paths control the push loop like ours")
{
    Rig rig;
    const auto stopped = test_support::http_request(rig.url("/api/telemetry/stop"), {}, "POST");
    CHECK(stopped.status == 200);
    CHECK(stopped.body == "{\"push\":\"stopped\"}\n");
    CHECK_FALSE(rig.push_running);
    CHECK(test_support::http_request(rig.url("/api/telemetry/start"), {}, "POST").status == 200);
    CHECK(rig.push_running);
}

TEST_CASE("a POST from another origin or a cross-site fetch is refused with 403 on every control path")
{
    Rig rig;
    for (const char* path : {"/api/push/stop", "/api/telemetry/stop"}) {
        CAPTURE(path);
        const auto evil = test_support::http_request(rig.url(path), {"Origin: http://evil.example"}, "POST");
        CHECK(evil.status == 403);
        CHECK(evil.body.find("cross-site request refused") != std::string::npos);
        CHECK(test_support::http_request(rig.url(path), {"Sec-Fetch-Site: cross-site"}, "POST").status == 403);
        CHECK(test_support::http_request(rig.url(path), {"Sec-Fetch-Site: same-site"}, "POST").status == 403);
        CHECK(rig.push_running);
    }
}

TEST_CASE("a form POST from our own page is redirected back to it, and curl still gets JSON")
{
    Rig rig;
    const std::string origin = "Origin: http://127.0.0.1:" + std::to_string(rig.server.ports().at(0));
    const auto form = test_support::http_request(
        rig.url("/api/push/stop"),
        {origin, "Sec-Fetch-Site: same-origin", "Accept: text/html,application/xhtml+xml,*/*;q=0.8",
         "Content-Type: application/x-www-form-urlencoded"},
        "POST");
    CHECK(form.status == 303);
    CHECK(form.headers.find("Location: /\r\n") != std::string::npos);
    CHECK_FALSE(rig.push_running);
    const auto api = test_support::http_request(rig.url("/api/push/start"),
                                                {origin, "Content-Type: application/x-www-form-urlencoded"}, "POST");
    CHECK(api.status == 200);
    CHECK(api.body == "{\"push\":\"running\"}\n");
    CHECK(rig.push_running);
}

TEST_CASE("the landing page shows the pause button to a loopback client when no auth is configured")
{
    Rig rig;
    const auto body = test_support::http_request(rig.url("/")).body;
    CHECK(body.find("action=\"/api/push/stop\"") != std::string::npos);
    CHECK(body.find("id=\"push-pause\"") != std::string::npos);
}
