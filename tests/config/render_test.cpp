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
    c.libvirt.stats_groups = virt::stats_state | virt::stats_perf | virt::stats_vm;
    c.libvirt.keepalive_count = 0;
    c.libvirt.reconnect_backoff_min = 250ms;
    c.web.listen_addresses = {"127.0.0.1:9100", "[::1]:9101"};
    c.web.scrape_timeout = 1234ms;
    c.push.enabled = false;
    c.push.url = "https://influx.example.com:8086/prefix";
    c.push.api = config::PushApi::v3;
    c.push.database = "db: with \"quotes\" and \\ and # hash";
    c.push.precision = config::Precision::ms;
    c.push.interval = 90s;
    c.push.batch_max_lines = 7;
    c.push.spool_max_bytes = 123456789;
    CHECK_FALSE(config::Pattern::compile("^vm-(\\d+)\\.example$", c.push.vmid_regex));
    c.push.extra_tags = {{"rack", "a1"}, {"zone", "eu west\nline"}, {"key:colon", "{value}"}};
    c.push.tls_insecure_skip_verify = true;
    c.push.tls_cert_file = "/etc/virt-exporter/push client.pem";
    c.push.tls_key_file = "/etc/virt-exporter/push-client.key";
    c.push.proxy = "socks5h://proxy.example:1080";
    c.push.no_proxy = "localhost,.internal";
    c.push.v3.no_sync = true;
    c.push.v3.accept_partial = false;
    c.push.measurements = config::m_vm_totals | config::m_vm_vcpus;
    c.log.level = util::LogLevel::debug;
    c.log.format = util::LogFormat::json;
    c.web.health_path = "/alive";
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
    CHECK(json.ends_with("\"log\":{\"level\":\"debug\",\"format\":\"json\"}}"));
    CHECK(json.find("\"health_path\":\"/alive\",") != std::string::npos);
    // JSON is YAML: reading it back with the YAML loader gives the same settings.
    const auto back = from_yaml(json);
    CHECK(back.push == unusual().push);
    CHECK(back.web == unusual().web);
    CHECK(back.log == unusual().log);
}

TEST_CASE("env_settings names every environment variable with its value as to_json renders it")
{
    config::Config c = unusual();
    c.push.token = "tok-SECRET";
    c.push.url = "https://user:pw-SECRET@influx.example.com:8086";
    const auto settings = config::env_settings(c);
    std::vector<std::string> names;
    for (const auto& s : settings) names.push_back(s.env);
    CHECK(names == std::vector<std::string>{"LIBVIRT_URI", "LIBVIRT_TIMEOUT", "DEVICE_CACHE_TTL", "INFLUX_URL",
                                            "INFLUX_API", "INFLUX_DB", "INFLUX_ORG", "INFLUX_TOKEN", "POLL_INTERVAL",
                                            "BATCH_MAX_LINES", "BATCH_MAX_SEC"});
    const auto json = config::to_json(c);
    for (const auto& s : settings) {
        CAPTURE(s.env);
        // The same token sits under the setting's own key in to_json's output.
        const auto name = s.path.substr(s.path.find('.') + 1);
        CHECK(json.find("\"" + name + "\":" + s.json_value) != std::string::npos);
        CHECK(s.json_value.find("SECRET") == std::string::npos);
    }
    CHECK(settings.at(1).json_value == "12");
    CHECK(settings.at(7).json_value == "\"***\"");
    CHECK(settings.at(8).json_value == "90");
}
