// The Go exporters' flags (inovex v2.5, kumina, Tinkoff) become the settings their YAML keys set, in
// both "--flag value" and "--flag=value" forms; the ones we cannot honour are refused naming the flag.
#include "config/internal.hpp"
#include "support/config_helpers.hpp"

#include <vector>

using config_test::error_of;

namespace {

config::Flags parse(std::vector<const char*> args)
{
    return config_test::parse_args(std::move(args));
}

config::Config load(std::vector<const char*> args)
{
    return config::load(parse(std::move(args)), config_test::no_env);
}

std::string load_error(std::vector<const char*> args)
{
    return error_of([&] { load(args); });
}

}  // namespace

TEST_CASE("--web.telemetry-path sets web.telemetry_path in both forms")
{
    CHECK(load({"--web.telemetry-path", "/probe"}).web.telemetry_path == "/probe");
    CHECK(load({"--web.telemetry-path=/probe"}).web.telemetry_path == "/probe");
    CHECK(load_error({"--web.telemetry-path=/"}).starts_with("flag --web.telemetry-path: must be a path"));
}

TEST_CASE("--web.health-path sets web.health_path and may be empty as in inovex")
{
    CHECK(load({"--web.health-path", "/health"}).web.health_path == "/health");
    CHECK(load({"--web.health-path=/health"}).web.health_path == "/health");
    CHECK(load({"--web.health-path="}).web.health_path.empty());
    CHECK(load({}).web.health_path.empty());
    CHECK(load_error({"--web.health-path=/metrics"}).starts_with("flag --web.health-path: must be empty or a path"));
    CHECK(load_error({"--web.health-path=health"}).starts_with("flag --web.health-path: must be empty or a path"));
    CHECK(error_of([] { parse({"--web.health-path"}); }) == "flag --web.health-path: needs a value (PATH)");
}

TEST_CASE("web.health_path is a YAML key too, the same setting the flag sets")
{
    CHECK(config_test::from_yaml("web:\n  health_path: /alive\n").web.health_path == "/alive");
}

TEST_CASE("--log.format sets log.format to logfmt or json and refuses other words")
{
    CHECK(load({"--log.format", "json"}).log.format == util::LogFormat::json);
    CHECK(load({"--log.format=logfmt"}).log.format == util::LogFormat::logfmt);
    CHECK(load({}).log.format == util::LogFormat::logfmt);
    CHECK(load_error({"--log.format=xml"}) == "flag --log.format: must be one of logfmt, json, got \"xml\"");
    CHECK(config_test::from_yaml("log:\n  format: json\n").log.format == util::LogFormat::json);
}

TEST_CASE("a JSON log line is one JSON object with level, subsystem and msg")
{
    CHECK(util::format_log_line(util::LogLevel::warn, "virt", "domain \"a\"\nb", util::LogFormat::json) ==
          "{\"level\":\"warn\",\"subsystem\":\"virt\",\"msg\":\"domain \\\"a\\\"\\nb\"}\n");
    CHECK(util::format_log_line(util::LogLevel::info, "config", "x") == "level=info subsystem=config msg=\"x\"\n");
}

TEST_CASE("--exporter.timeout sets libvirt.timeout from a Go duration of whole seconds")
{
    CHECK(load({"--exporter.timeout", "3s"}).libvirt.timeout == std::chrono::seconds(3));
    CHECK(load({"--exporter.timeout=1m30s"}).libvirt.timeout == std::chrono::seconds(90));
    CHECK(load_error({"--exporter.timeout=500ms"}) ==
          "flag --exporter.timeout: must be a whole number of seconds, got \"500ms\"");
    CHECK(load_error({"--exporter.timeout=soon"}).starts_with("flag --exporter.timeout: "));
    CHECK(load_error({"--exporter.timeout=0s"}).starts_with("flag --exporter.timeout: "));
}

TEST_CASE("--exporter.max-concurrent-collects sets libvirt.parallel within 1 to 16")
{
    CHECK(load({"--exporter.max-concurrent-collects", "2"}).libvirt.parallel == 2);
    CHECK(load({"--exporter.max-concurrent-collects=8"}).libvirt.parallel == 8);
    CHECK(load_error({"--exporter.max-concurrent-collects=0"}) ==
          "flag --exporter.max-concurrent-collects: must be between 1 and 16, got 0");
    CHECK(
        load_error({"--exporter.max-concurrent-collects=-1"}).starts_with("flag --exporter.max-concurrent-collects: "));
}

TEST_CASE("--libvirt.uri with a scheme stays the URI")
{
    CHECK(load({"--libvirt.uri", "qemu+tcp://host/system"}).libvirt.uri == "qemu+tcp://host/system");
    CHECK(load({"--libvirt.uri=test:///default"}).libvirt.uri == "test:///default");
}

TEST_CASE("--libvirt.uri with an absolute path opens qemu:///system through that socket")
{
    const auto c = load({"--libvirt.uri", "/var/run/libvirt/libvirt-sock-ro"});
    CHECK(c.libvirt.uri == "qemu+unix:///system?socket=/var/run/libvirt/libvirt-sock-ro");
    CHECK(c.origins.at("libvirt.uri") == "flag --libvirt.uri");
    CHECK(load({"--libvirt.uri=/run/a b&c.sock"}).libvirt.uri == "qemu+unix:///system?socket=/run/a%20b%26c.sock");
}

TEST_CASE("--libvirt.driver is the URI a socket-path --libvirt.uri opens")
{
    CHECK(load({"--libvirt.driver", "qemu:///session", "--libvirt.uri=/run/user/1000/libvirt/libvirt-sock"})
              .libvirt.uri == "qemu+unix:///session?socket=/run/user/1000/libvirt/libvirt-sock");
    CHECK(load({"--libvirt.uri=/s", "--libvirt.driver=qemu:///system?mode=legacy"}).libvirt.uri ==
          "qemu+unix:///system?mode=legacy&socket=/s");
}

TEST_CASE("--libvirt.driver alone is the URI, and libvirt picks its socket")
{
    CHECK(load({"--libvirt.driver=qemu:///session"}).libvirt.uri == "qemu:///session");
}

TEST_CASE("a driver that names its transport keeps it when a socket path is given")
{
    CHECK(load({"--libvirt.uri=/s", "--libvirt.driver=test+unix:///n.xml"}).libvirt.uri ==
          "test+unix:///n.xml?socket=/s");
    CHECK(load({"--libvirt.uri=/s", "--libvirt.driver=test:///n.xml"}).libvirt.uri == "test+unix:///n.xml?socket=/s");
}

TEST_CASE("--libvirt.driver beside a URI in --libvirt.uri is refused naming both")
{
    CHECK(load_error({"--libvirt.driver=qemu:///session", "--libvirt.uri=qemu:///system"}) ==
          "flag --libvirt.driver: applies only when --libvirt.uri is a socket path, but --libvirt.uri is the URI "
          "\"qemu:///system\"; drop one of them");
    CHECK(load_error({"--libvirt.driver=system"}) ==
          "flag --libvirt.driver: must be a libvirt URI like \"qemu:///system\", got \"system\"");
}

TEST_CASE("--libvirt.export-nova-metadata is accepted in kingpin's boolean forms and changes no setting")
{
    CHECK(parse({"--libvirt.export-nova-metadata"}).export_nova_metadata);
    CHECK(parse({"--libvirt.export-nova-metadata=true"}).export_nova_metadata);
    CHECK_FALSE(parse({"--libvirt.export-nova-metadata=false"}).export_nova_metadata);
    CHECK_FALSE(parse({"--libvirt.export-nova-metadata", "--no-libvirt.export-nova-metadata"}).export_nova_metadata);
    CHECK(load({"--libvirt.export-nova-metadata"}).same_settings(load({})));
    CHECK(error_of([] { parse({"--libvirt.export-nova-metadata=maybe"}); }) ==
          "flag --libvirt.export-nova-metadata: must be true or false, got \"maybe\"");
}

TEST_CASE("--web.systemd-socket is refused naming the flag and why, and its off forms are accepted")
{
    const std::string error = error_of([] { parse({"--web.systemd-socket"}); });
    CHECK(error.starts_with("flag --web.systemd-socket: socket activation is not supported"));
    CHECK(error.find("--web.listen-address") != std::string::npos);
    CHECK(error_of([] { parse({"--web.systemd-socket=true"}); }) == error);
    CHECK_NOTHROW(parse({"--web.systemd-socket=false"}));
    CHECK_NOTHROW(parse({"--no-web.systemd-socket"}));
}

TEST_CASE("a --no- form of a flag that is not a boolean is unknown")
{
    CHECK(error_of([] { parse({"--no-libvirt.uri"}); }) == "flag --no-libvirt.uri: unknown flag (see --help)");
}

TEST_CASE("inovex's, kumina's and Tinkoff's flags win over the YAML file as our own flags do")
{
    const auto f = parse({"--web.telemetry-path=/m", "--exporter.max-concurrent-collects", "2"});
    auto c = config::apply_yaml(config::Config{}, "web:\n  telemetry_path: /y\nlibvirt:\n  parallel: 8\n", "/x.yaml");
    config::detail::apply_flags(c, f);
    CHECK(c.web.telemetry_path == "/m");
    CHECK(c.libvirt.parallel == 2);
}

TEST_CASE("usage text lists the Go exporters' flags under their own heading")
{
    const auto text = config::usage_text();
    const auto heading = text.find("Flags of the Go libvirt exporters");
    REQUIRE(heading != std::string::npos);
    for (const char* s :
         {"--web.telemetry-path PATH", "--web.health-path PATH", "--libvirt.driver URI", "--exporter.timeout DURATION",
          "--exporter.max-concurrent-collects N", "--libvirt.export-nova-metadata", "--web.systemd-socket"}) {
        CAPTURE(s);
        CHECK(text.find(s) > heading);
    }
    CHECK(text.find("--log.format FORMAT") < heading);
}
