// The seed collector's field names added to our answers (/api/telemetry/status and /config), as pure
// functions (server_test.cpp checks the aliases through CivetWeb).
#include <doctest/doctest.h>

#include "http/seed_api.hpp"
#include "util/json_reader.hpp"

using namespace std::chrono_literals;

namespace {

// The object's member `key`, which must exist.
const util::JsonValue& at(const util::JsonValue& object, std::string_view key)
{
    const util::JsonValue* v = object.member(key);
    REQUIRE_MESSAGE(v != nullptr, key);
    return *v;
}

std::string text_of(const util::JsonValue& v)
{
    if (const auto* s = v.string()) return *s;
    if (const auto* n = std::get_if<util::JsonValue::Number>(&v.value)) return n->text;
    return "?";
}

config::Config pushing_config()
{
    config::Config c;
    c.libvirt.uri = "qemu+ssh://root@kvm1.example/system";
    c.push.url = "https://writer:pw-SECRET@influx.example:8086";
    c.push.database = "vms";
    c.push.org = "ops";
    c.push.api = config::PushApi::v2;
    c.push.token = "tok-SECRET";
    c.push.interval = 7s;
    c.push.batch_max_lines = 250;
    c.push.batch_max_sec = 1500ms;
    c.libvirt.timeout = 9s;
    c.libvirt.device_cache_ttl = 60s;
    return c;
}

}  // namespace

TEST_CASE("the seed's config keys are the environment variables lower-cased, with the values of our keys")
{
    const std::string json = http::seed_config_json(pushing_config());
    CAPTURE(json);
    const auto doc = util::parse_json(json);
    REQUIRE(doc);
    const auto& libvirt = at(*doc, "libvirt");
    const auto& push = at(*doc, "push");
    CHECK(text_of(at(*doc, "libvirt_timeout")) == "9");
    CHECK(text_of(at(*doc, "libvirt_timeout")) == text_of(at(libvirt, "timeout")));
    CHECK(text_of(at(*doc, "device_cache_ttl")) == text_of(at(libvirt, "device_cache_ttl")));
    CHECK(text_of(at(*doc, "influx_api")) == "v2");
    CHECK(text_of(at(*doc, "influx_db")) == "vms");
    CHECK(text_of(at(*doc, "influx_org")) == "ops");
    CHECK(text_of(at(*doc, "poll_interval")) == "7");
    CHECK(text_of(at(*doc, "poll_interval")) == text_of(at(push, "interval")));
    CHECK(text_of(at(*doc, "batch_max_lines")) == "250");
    CHECK(text_of(at(*doc, "batch_max_sec")) == "1.5");
    CHECK(json.find('\n') == std::string::npos);
}

TEST_CASE("the seed's config answer masks the libvirt URI, the InfluxDB URL and the token as ***, ours too")
{
    const std::string json = http::seed_config_json(pushing_config());
    CAPTURE(json);
    const auto doc = util::parse_json(json);
    REQUIRE(doc);
    CHECK(text_of(at(*doc, "libvirt_uri")) == "***");
    CHECK(text_of(at(*doc, "influx_url")) == "***");
    CHECK(text_of(at(*doc, "influx_token")) == "***");
    CHECK(text_of(at(at(*doc, "libvirt"), "uri")) == "***");
    CHECK(text_of(at(at(*doc, "push"), "url")) == "***");
    CHECK(text_of(at(at(*doc, "push"), "token")) == "***");
    for (const char* hidden : {"SECRET", "kvm1.example", "influx.example", "writer", "qemu+ssh"})
        CHECK(json.find(hidden) == std::string::npos);
}

TEST_CASE("the seed's config answer shows an unset URL and token as empty, as our own answer does")
{
    const std::string json = http::seed_config_json(config::Config{});
    const auto doc = util::parse_json(json);
    REQUIRE(doc);
    CHECK(text_of(at(*doc, "libvirt_uri")) == "***");  // always set: qemu:///system by default
    CHECK(text_of(at(*doc, "influx_url")).empty());
    CHECK(text_of(at(*doc, "influx_token")).empty());
    CHECK(text_of(at(at(*doc, "push"), "url")).empty());
}

TEST_CASE("the seed's status fields are the push's running flag, lines written and queue size")
{
    prom::PushStatus p;
    p.running = true;
    p.lines_written = 12345;
    p.queued_lines = 67;
    util::JsonWriter w;
    w.begin_object();
    http::write_seed_status_fields(w, p);
    w.end_object();
    CHECK(w.str() == R"({"running":true,"total_metrics_written":12345,"influx_queue_size":67})");
}

TEST_CASE("without a push the seed's status fields say not running, nothing written, nothing queued")
{
    util::JsonWriter w;
    w.begin_object();
    http::write_seed_status_fields(w, std::nullopt);
    w.end_object();
    CHECK(w.str() == R"({"running":false,"total_metrics_written":0,"influx_queue_size":0})");
}
