#include "support/config_helpers.hpp"

using config_test::error_of;
using config_test::from_yaml;
using config_test::yaml_error;

TEST_CASE("the default configuration is valid")
{
    CHECK_NOTHROW(config::validate(config::Config{}));
}

TEST_CASE("rejects a negative push interval with file, line and key")
{
    CHECK(yaml_error("# comment\npush:\n  interval: -5\n") == "/x.yaml:3: push.interval: must be > 0, got -5");
}

TEST_CASE("rejects zero intervals and timeouts, and a zero batch_max_lines")
{
    CHECK(yaml_error("push:\n  batch_max_lines: 0\n") == "/x.yaml:2: push.batch_max_lines: must be > 0, got 0");
    CHECK(yaml_error("push:\n  batch_max_sec: 0\n") == "/x.yaml:2: push.batch_max_sec: must be > 0, got 0");
    CHECK(yaml_error("libvirt:\n  storage_pools_interval: 0\n") ==
          "/x.yaml:2: libvirt.storage_pools_interval: must be > 0, got 0");
    CHECK(yaml_error("libvirt:\n  timeout: 0\n") == "/x.yaml:2: libvirt.timeout: must be > 0, got 0");
    CHECK(yaml_error("web:\n  scrape_timeout: -0.5\n") == "/x.yaml:2: web.scrape_timeout: must be > 0, got -0.5");
    CHECK(yaml_error("push:\n  batch_max_lines: -3\n") == "/x.yaml:2: push.batch_max_lines: must be >= 0, got -3");
}

TEST_CASE("rejects a buffer smaller than one batch and backoff maximums below their minimums")
{
    CHECK(yaml_error("push:\n  buffer_max_lines: 10\n") ==
          "/x.yaml:2: push.buffer_max_lines: must be >= push.batch_max_lines (5000), got 10");
    CHECK(yaml_error("push:\n  retry_backoff_max: 500ms\n") ==
          "/x.yaml:2: push.retry_backoff_max: must be >= push.retry_backoff_min (1), got 0.5");
    // The maximum was not in the file, so the message names the key alone.
    CHECK(yaml_error("libvirt:\n  reconnect_backoff_min: 2m\n") ==
          "libvirt.reconnect_backoff_max: must be >= libvirt.reconnect_backoff_min (120), got 60");
}

TEST_CASE("rejects push URLs without an http or https scheme or host, or with spaces")
{
    CHECK(yaml_error("push:\n  enabled: false\n  url: ftp://influx:8086\n") ==
          "/x.yaml:3: push.url: must be an http:// or https:// URL, got \"ftp://influx:8086\"");
    CHECK(yaml_error("push:\n  url: influx:8086\n").find("must be an http:// or https:// URL") != std::string::npos);
    CHECK(yaml_error("push:\n  url: http://\n") == "/x.yaml:2: push.url: has no host, got \"http://\"");
    CHECK(yaml_error("push:\n  url: http://:8086/\n") == "/x.yaml:2: push.url: has no host, got \"http://:8086/\"");
    CHECK(yaml_error("push:\n  url: \"http://influx host:8086\"\n") ==
          "/x.yaml:2: push.url: must not contain spaces, got \"http://influx host:8086\"");
    CHECK(yaml_error("push:\n  url: http://influx:99999\n") ==
          "/x.yaml:2: push.url: port must be 1-65535, got \"http://influx:99999\"");
}

TEST_CASE("accepts http and https URLs with ports, paths, user names and IPv6 hosts")
{
    for (const char* url : {"http://influx", "https://influx.example.com:8086", "http://127.0.0.1:8428/",
                            "http://[::1]:8086", "HTTPS://u@influx/prefix", "http://u:p@influx:8086/x?y=1"}) {
        CAPTURE(url);
        CHECK_NOTHROW(config::validate(from_yaml(std::string("push:\n  database: d\n  url: \"") + url + "\"\n")));
    }
}

TEST_CASE("rejects an api other than v1, v2, v3 and a precision other than ns, us, ms, s")
{
    CHECK(yaml_error("push:\n  api: v9\n") == "/x.yaml:2: push.api: must be one of v1, v2, v3, got \"v9\"");
    CHECK(yaml_error("push:\n  precision: m\n") ==
          "/x.yaml:2: push.precision: must be one of ns, us, ms, s, got \"m\"");
}

TEST_CASE("rejects an unknown stats group on the line of that list item")
{
    CHECK(yaml_error("libvirt:\n  stats_groups:\n    - state\n    - cpu\n") ==
          "/x.yaml:4: libvirt.stats_groups[1]: must be one of state, cpu_total, balloon, vcpu, interface, block, "
          "perf, iothread, memory, dirtyrate, vm, vcpu_placement, block_iotune, got \"cpu\"");
    CHECK(yaml_error("libvirt:\n  stats_groups: []\n") ==
          "/x.yaml:2: libvirt.stats_groups: must list at least one group");
}

TEST_CASE("accepts every documented stats group")
{
    CHECK_NOTHROW(config::validate(
        from_yaml("libvirt: {stats_groups: [state, cpu_total, balloon, vcpu, interface, block, perf, iothread, memory, "
                  "dirtyrate, vm, vcpu_placement, block_iotune]}")));
}

TEST_CASE("rejects bad listen addresses and accepts :port, host:port and [v6]:port")
{
    for (const char* ok : {":9177", "0.0.0.0:9177", "localhost:1", "[::1]:9177", "[::]:65535"}) {
        CAPTURE(ok);
        CHECK_NOTHROW(config::validate(from_yaml(std::string("web:\n  listen_addresses: [\"") + ok + "\"]\n")));
    }
    CHECK(yaml_error("web:\n  listen_addresses:\n    - \":9177\"\n    - \"9177\"\n") ==
          "/x.yaml:4: web.listen_addresses[1]: must be [host]:port like \":9177\", \"127.0.0.1:9177\" or "
          "\"[::1]:9177\", got \"9177\"");
    CHECK(yaml_error("web:\n  listen_addresses: [\":0\"]\n") ==
          "/x.yaml:2: web.listen_addresses[0]: port must be 1-65535, got \":0\"");
    CHECK(yaml_error("web:\n  listen_addresses: [\"::1:9177\"]\n").find("must be [host]:port") != std::string::npos);
    CHECK(yaml_error("web:\n  listen_addresses: [\"[::1:9177\"]\n").find("must be [host]:port") != std::string::npos);
    CHECK(yaml_error("web:\n  listen_addresses: [\"a b:1\"]\n").find("must be [host]:port") != std::string::npos);
    CHECK(yaml_error("web:\n  listen_addresses: [\":65536\"]\n").find("port must be 1-65535") != std::string::npos);
}

TEST_CASE("rejects an invalid vmid_regex, an unknown log level and a bad telemetry path")
{
    CHECK(yaml_error("push:\n  vmid_regex: \"one-(\\\\d+\"\n")
              .starts_with("/x.yaml:2: push.vmid_regex: invalid regular expression \"one-(\\d+\": "));
    CHECK(yaml_error("log:\n  level: verbose\n") ==
          "/x.yaml:2: log.level: must be one of debug, info, warn, error, got \"verbose\"");
    CHECK(yaml_error("web:\n  telemetry_path: metrics\n").starts_with("/x.yaml:2: web.telemetry_path: must be a path"));
    CHECK(yaml_error("web:\n  telemetry_path: /\n").starts_with("/x.yaml:2: web.telemetry_path: must be a path"));
}

TEST_CASE("rejects extra tags that reuse a built-in tag or are empty")
{
    CHECK(yaml_error("push:\n  extra_tags:\n    rack: a1\n    host: x\n") ==
          "/x.yaml:4: push.extra_tags.host: \"host\" is a built-in tag and cannot be set here");
    CHECK(yaml_error("push:\n  extra_tags:\n    rack: \"\"\n") ==
          "/x.yaml:3: push.extra_tags.rack: must not be empty (line protocol has no empty tag values)");
}

TEST_CASE("requires push.database for v1 and v3 and push.org for v2 when push is active")
{
    CHECK(yaml_error("push:\n  url: http://influx:8086\n") ==
          "push.database: is required when push is enabled with push.api v1");
    CHECK(yaml_error("push:\n  url: http://influx:8086\n  api: v3\n  database: \"\"\n") ==
          "/x.yaml:4: push.database: is required when push is enabled with push.api v3");
    CHECK(yaml_error("push:\n  url: http://influx:8086\n  api: v2\n  bucket: b\n") ==
          "push.org: is required when push is enabled with push.api v2");
    CHECK(yaml_error("push:\n  url: http://influx:8086\n  api: v2\n  org: o\n") ==
          "push.bucket: is required when push is enabled with push.api v2 (or set push.database)");
    CHECK_NOTHROW(config::validate(from_yaml("push: {url: \"http://influx:8086\", api: v2, org: o, database: d}")));
}

TEST_CASE("enabled true without a URL is an error")
{
    CHECK(yaml_error("push:\n  enabled: true\n") == "/x.yaml:2: push.enabled: is true but push.url is empty");
}

TEST_CASE("a URL with enabled false needs no database")
{
    const auto c = from_yaml("push:\n  url: http://influx:8086\n  enabled: false\n");
    CHECK_FALSE(c.push.active());
    CHECK_NOTHROW(config::validate(c));
}
