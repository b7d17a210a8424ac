#include "support/config_helpers.hpp"

using namespace std::chrono_literals;
using config_test::error_of;
using config_test::from_yaml;

TEST_CASE("a YAML file sets values in every section with the layout of the structs")
{
    const auto c = from_yaml(R"(
libvirt:
  uri: qemu+ssh://root@kvm1/system
  read_only: false
  timeout: 20
  stats_groups: [state, perf]
  keepalive_count: 3
web:
  listen_addresses:
    - "127.0.0.1:9100"
    - "[::1]:9100"
  scrape_timeout: 2.5
push:
  enabled: true
  url: http://influx:8086
  database: vms
  batch_max_lines: 100
  spool_max_bytes: 512MiB
  extra_tags:
    rack: a1
    dc: fra
log:
  level: debug
)");
    CHECK(c.libvirt.uri == "qemu+ssh://root@kvm1/system");
    CHECK_FALSE(c.libvirt.read_only);
    CHECK(c.libvirt.timeout == 20s);
    CHECK(c.libvirt.stats_groups == (virt::stats_state | virt::stats_perf));
    CHECK(c.libvirt.keepalive_count == 3);
    CHECK(c.web.listen_addresses == std::vector<std::string>{"127.0.0.1:9100", "[::1]:9100"});
    CHECK(c.web.scrape_timeout == 2500ms);
    CHECK(c.push.enabled == true);
    CHECK(c.push.url == "http://influx:8086");
    CHECK(c.push.database == "vms");
    CHECK(c.push.batch_max_lines == 100);
    CHECK(c.push.spool_max_bytes == 512ull << 20);
    CHECK(c.push.extra_tags == std::map<std::string, std::string>{{"rack", "a1"}, {"dc", "fra"}});
    CHECK(c.log.level == util::LogLevel::debug);
    // Untouched keys keep their defaults.
    CHECK(c.push.interval == 5s);
    CHECK(c.web.telemetry_path == "/metrics");
}

TEST_CASE("durations accept seconds as integers or floats and strings with ms, s, m and h units")
{
    CHECK(from_yaml("push: {interval: 5}").push.interval == 5s);
    CHECK(from_yaml("push: {interval: 2.5}").push.interval == 2500ms);
    CHECK(from_yaml("push: {interval: 500ms}").push.interval == 500ms);
    CHECK(from_yaml("push: {interval: \"10s\"}").push.interval == 10s);
    CHECK(from_yaml("push: {interval: 5m}").push.interval == 5min);
    CHECK(from_yaml("push: {interval: 1h}").push.interval == 1h);
    CHECK(from_yaml("push: {interval: 1m30s}").push.interval == 90s);
    CHECK(from_yaml("push: {interval: 0.001}").push.interval == 1ms);
    CHECK(from_yaml("libvirt: {device_cache_ttl: 2m}").libvirt.device_cache_ttl == 120s);
    CHECK_FALSE(from_yaml("libvirt: {storage_pools: false}").libvirt.storage_pools);
    CHECK(from_yaml("libvirt: {storage_pools_interval: 1m}").libvirt.storage_pools_interval == 60s);
}

TEST_CASE("sizes accept plain bytes and units like 512MiB, 1GiB and 10GB")
{
    CHECK(from_yaml("push: {spool_max_bytes: 1048576}").push.spool_max_bytes == 1048576);
    CHECK(from_yaml("push: {spool_max_bytes: 512MiB}").push.spool_max_bytes == 512ull << 20);
    CHECK(from_yaml("push: {spool_max_bytes: 1GiB}").push.spool_max_bytes == 1ull << 30);
    CHECK(from_yaml("push: {spool_max_bytes: 10GB}").push.spool_max_bytes == 10'000'000'000ull);
    CHECK(from_yaml("push: {spool_max_bytes: 1.5KiB}").push.spool_max_bytes == 1536);
}

TEST_CASE("rejects a string where an integer is expected with file, line and key")
{
    CHECK(error_of([] { from_yaml("push:\n  database: x\n  batch_max_lines: many\n"); }) ==
          "/x.yaml:3: push.batch_max_lines: must be a whole number, got \"many\"");
    CHECK(error_of([] { from_yaml("push:\n  interval: soon\n"); }) ==
          "/x.yaml:2: push.interval: must be a duration in seconds or with a unit (5, 2.5, 500ms, 10s, 5m, 1h), "
          "got \"soon\"");
    CHECK(error_of([] {
              from_yaml("push:\n  spool_max_bytes: 1XB\n");
          }).starts_with("/x.yaml:2: push.spool_max_bytes: must be a size"));
    CHECK(error_of([] { from_yaml("libvirt:\n  read_only: maybe\n"); }) ==
          "/x.yaml:2: libvirt.read_only: must be true or false, got \"maybe\"");
}

TEST_CASE("rejects a list where a map is expected with file, line and key")
{
    CHECK(error_of([] { from_yaml("push:\n  extra_tags: [a, b]\n"); }) ==
          "/x.yaml:2: push.extra_tags: must be a map, got a list");
    CHECK(error_of([] { from_yaml("log: [debug]\n"); }) == "/x.yaml:1: log: must be a map, got a list");
    CHECK(error_of([] { from_yaml("web:\n  listen_addresses: {a: b}\n"); }) ==
          "/x.yaml:2: web.listen_addresses: must be a list, got a map");
    CHECK(error_of([] { from_yaml("libvirt:\n  uri: [a]\n"); }) ==
          "/x.yaml:2: libvirt.uri: must be a single value, got a list");
    CHECK(error_of([] { from_yaml("libvirt:\n  stats_groups:\n    - state\n    - [cpu]\n"); }) ==
          "/x.yaml:4: libvirt.stats_groups[1]: must be a string, got a list");
    CHECK(error_of([] { from_yaml("- a\n- b\n"); }) == "/x.yaml:1: the top level must be a map, got a list");
}

TEST_CASE("whole-second keys reject fractions of a second")
{
    CHECK(error_of([] { from_yaml("libvirt:\n  timeout: 1.5\n"); }) ==
          "/x.yaml:2: libvirt.timeout: must be a whole number of seconds, got \"1.5\"");
    CHECK(error_of([] { from_yaml("push:\n  interval: 0.0005\n"); }) ==
          "/x.yaml:2: push.interval: must be a whole number of milliseconds, got \"0.0005\"");
}

TEST_CASE("rejects a YAML syntax error with its line")
{
    const auto message = error_of([] { from_yaml("push:\n  url: [unclosed\n  database: x\nlog: {}\n"); });
    CHECK(message.starts_with("/x.yaml:"));
    CHECK(message.find(": invalid YAML: ") != std::string::npos);
    CHECK(error_of([] { from_yaml("push:\n  url: a\n   database: b\n"); }) ==
          "/x.yaml:3: invalid YAML: illegal map value");
}

TEST_CASE("an unknown key is a warning with file, line and key path, not an error")
{
    std::vector<std::string> warnings;
    const auto c = from_yaml("push:\n  interval: 7\n  intervl: 9\npussh:\n  url: x\n", &warnings);
    CHECK(c.push.interval == 7s);
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0] == "/x.yaml:3: unknown key push.intervl (ignored)");
    CHECK(warnings[1] == "/x.yaml:4: unknown key pussh (ignored)");
}

TEST_CASE("a key given twice in one map is an error with its second line")
{
    CHECK(error_of([] { from_yaml("push:\n  interval: 5\n  interval: 6\n"); }) ==
          "/x.yaml:3: push.interval: duplicate key");
}

TEST_CASE("an empty file or an empty section leaves the defaults")
{
    CHECK(from_yaml("").same_settings(config::Config{}));
    CHECK(from_yaml("# nothing\n").same_settings(config::Config{}));
    CHECK(from_yaml("push:\nweb:\n").same_settings(config::Config{}));
}

TEST_CASE("a null enabled means automatic, a null string means empty and a null list means none")
{
    auto base = config::Config{};
    base.push.enabled = false;
    base.push.url = "http://a:1";
    const auto c = config::apply_yaml(base, "push:\n  enabled:\n  url:\n  extra_tags:\n", "/x.yaml");
    CHECK_FALSE(c.push.enabled.has_value());
    CHECK(c.push.url.empty());
    CHECK(c.push.extra_tags.empty());
}

TEST_CASE("values record the file and line they came from")
{
    const auto c = from_yaml("push:\n  interval: 5\nweb:\n  listen_addresses:\n    - \":1\"\n    - \":2\"\n");
    CHECK(c.origins.at("push.interval") == "/x.yaml:2: push.interval");
    CHECK(c.origins.at("web.listen_addresses[1]") == "/x.yaml:6: web.listen_addresses[1]");
}
