#include "support/config_helpers.hpp"

#include <yaml-cpp/yaml.h>

using namespace std::chrono_literals;
using config_test::from_yaml;

namespace {

// A configuration with every kind of value away from its default, and strings that need quoting.
config::Config unusual()
{
    config::Config c;
    c.libvirt.uri = "qemu+ssh://root@kvm1/system?keyfile=/k";
    c.libvirt.read_only = false;
    c.libvirt.timeout = 12s;
    c.libvirt.stats_groups = {"state", "perf", "vm"};
    c.libvirt.keepalive_count = 0;
    c.libvirt.reconnect_backoff_min = 250ms;
    c.web.listen_addresses = {"127.0.0.1:9100", "[::1]:9101"};
    c.web.scrape_timeout = 1234ms;
    c.push.enabled = false;
    c.push.url = "https://influx.example.com:8086/prefix";
    c.push.api = "v3";
    c.push.database = "db: with \"quotes\" and \\ and # hash";
    c.push.precision = "ms";
    c.push.interval = 90s;
    c.push.batch_max_lines = 7;
    c.push.spool_max_bytes = 123456789;
    c.push.vmid_regex = "^vm-(\\d+)\\.example$";
    c.push.extra_tags = {{"rack", "a1"}, {"zone", "eu west\nline"}, {"key:colon", "{value}"}};
    c.push.tls_insecure_skip_verify = true;
    c.log.level = "debug";
    return c;
}

}  // namespace

TEST_CASE("to_yaml output loads back as the same configuration")
{
    for (const auto& original : {config::Config{}, unusual()}) {
        const auto text = config::to_yaml(original);
        CAPTURE(text);
        std::vector<std::string> warnings;
        const auto back = from_yaml(text, &warnings);
        CHECK(warnings.empty());
        CHECK(back.libvirt == original.libvirt);
        CHECK(back.web == original.web);
        CHECK(back.push == original.push);
        CHECK(back.log == original.log);
    }
}

TEST_CASE("to_yaml keeps the file layout with durations in seconds and sizes with units")
{
    const auto text = config::to_yaml(config::Config{});
    CHECK(text.find("\nlibvirt:\n  uri: \"qemu:///system\"\n") != std::string::npos);
    CHECK(text.find("\n  interval: 5\n") != std::string::npos);
    CHECK(text.find("\n  spool_max_bytes: \"1GiB\"\n") != std::string::npos);
    CHECK(text.find("\n  enabled: null\n") != std::string::npos);
    CHECK(text.find("\n  listen_addresses: [\":9177\"]\n") != std::string::npos);
    CHECK(text.find("\nlog:\n  level: \"info\"\n") != std::string::npos);
}

TEST_CASE("to_json renders the same settings as one JSON object")
{
    const auto json = config::to_json(unusual());
    CHECK(json.starts_with("{\"libvirt\":{\"uri\":\"qemu+ssh://root@kvm1/system?keyfile=/k\",\"read_only\":false,"));
    CHECK(json.find("\"spool_max_bytes\":123456789,") != std::string::npos);
    CHECK(json.find("\"scrape_timeout\":1.234,") != std::string::npos);
    CHECK(json.find("\"enabled\":false,") != std::string::npos);
    CHECK(json.find("\"zone\":\"eu west\\nline\"") != std::string::npos);
    CHECK(json.find('\n') == std::string::npos);
    CHECK(json.ends_with("\"log\":{\"level\":\"debug\"}}"));
    // JSON is YAML: reading it back with the YAML loader gives the same settings.
    const auto back = from_yaml(json);
    CHECK(back.push == unusual().push);
    CHECK(back.web == unusual().web);
}
