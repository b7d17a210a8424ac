#include "support/config_helpers.hpp"

#include <vector>

using config_test::error_of;

namespace {

config::Flags parse(std::vector<const char*> args)
{
    return config_test::parse_args(std::move(args));
}

std::string parse_error(std::vector<const char*> args)
{
    return error_of([&] { parse(args); });
}

}  // namespace

TEST_CASE("flags accept both --flag value and --flag=value")
{
    const auto f = parse({"--config", "/etc/a.yaml", "--libvirt.uri=test:///default", "--log.level", "debug",
                          "--web.config.file=/etc/web.yml"});
    CHECK(f.config_file == "/etc/a.yaml");
    CHECK(f.libvirt_uri == "test:///default");
    CHECK(f.log_level == "debug");
    CHECK(f.web_config_file == "/etc/web.yml");
    CHECK_FALSE(f.listen_address.has_value());
    CHECK(parse({"--config=/x=y.yaml"}).config_file == "/x=y.yaml");
}

TEST_CASE("mode flags set their switches and -h means help")
{
    const auto f = parse({"--check-config", "--print-config", "--version", "--once"});
    CHECK(f.check_config);
    CHECK(f.print_config);
    CHECK(f.version);
    CHECK(f.once);
    CHECK_FALSE(f.help);
    CHECK(parse({"-h"}).help);
    CHECK(parse({"--help"}).help);
    CHECK_FALSE(parse({}).once);
}

TEST_CASE("an unknown flag or a missing value is an error naming the flag")
{
    CHECK(parse_error({"--web.listen-adress=:1"}) == "flag --web.listen-adress: unknown flag (see --help)");
    CHECK(parse_error({"-x"}) == "flag -x: unknown flag (see --help)");
    CHECK(parse_error({"--config"}) == "flag --config: needs a value (FILE)");
    CHECK(parse_error({"--config="}) == "flag --config: needs a value (FILE)");
    CHECK(parse_error({"--libvirt.uri", "--once"}) == "flag --libvirt.uri: needs a value (URI)");
    CHECK(parse_error({"--once=yes"}) == "flag --once: takes no value");
    CHECK(parse_error({"stray"}) == "unexpected argument \"stray\"");
}

TEST_CASE("listen addresses from flags are comma-separated and may repeat")
{
    const auto f = parse({"--web.listen-address", ":9177, [::1]:9178", "--web.listen-address=127.0.0.1:9179"});
    REQUIRE(f.listen_address.has_value());
    config_test::FakeEnv env({});
    const auto c = config::load(f, config_test::fake_env);
    CHECK(c.web.listen_addresses == std::vector<std::string>{":9177", "[::1]:9178", "127.0.0.1:9179"});
}

TEST_CASE("a bad flag value is reported naming the flag")
{
    CHECK(error_of([] { config::load(parse({"--web.listen-address=:1,nope"}), config_test::no_env); }) ==
          "flag --web.listen-address: must be [host]:port like \":9177\", \"127.0.0.1:9177\" or \"[::1]:9177\", "
          "got \"nope\"");
    CHECK(error_of([] { config::load(parse({"--log.level=loud"}), config_test::no_env); }) ==
          "flag --log.level: must be one of debug, info, warn, error, got \"loud\"");
}

TEST_CASE("usage text lists every flag and the environment variables")
{
    const auto text = config::usage_text();
    for (const char* s : {"--config FILE",
                          "--check-config",
                          "--print-config",
                          "--version",
                          "--once",
                          "--help",
                          "-h",
                          "--web.listen-address ADDR",
                          "--web.config.file FILE",
                          "--libvirt.uri URI",
                          "--log.level LEVEL",
                          "LIBVIRT_URI",
                          "LIBVIRT_TIMEOUT",
                          "DEVICE_CACHE_TTL",
                          "INFLUX_URL",
                          "INFLUX_DB",
                          "INFLUX_ORG",
                          "INFLUX_TOKEN",
                          "INFLUX_API",
                          "POLL_INTERVAL",
                          "BATCH_MAX_LINES",
                          "BATCH_MAX_SEC"}) {
        CAPTURE(s);
        CHECK(text.find(s) != std::string::npos);
    }
}
