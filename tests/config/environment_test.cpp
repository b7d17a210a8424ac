#include "support/config_helpers.hpp"

#include <cstdlib>

using namespace std::chrono_literals;
using config_test::error_of;
using config_test::fake_env;
using config_test::FakeEnv;

TEST_CASE("every environment variable existing deployments use sets its key")
{
    FakeEnv env({{"LIBVIRT_URI", "qemu+tcp://kvm1/system"},
                 {"LIBVIRT_TIMEOUT", "7"},
                 {"DEVICE_CACHE_TTL", "60"},
                 {"INFLUX_URL", "http://influx:8086"},
                 {"INFLUX_DB", "one"},
                 {"INFLUX_ORG", "acme"},
                 {"INFLUX_TOKEN", "tok"},
                 {"INFLUX_API", "v2"},
                 {"POLL_INTERVAL", "15"},
                 {"BATCH_MAX_LINES", "250"},
                 {"BATCH_MAX_SEC", "2"}});
    const auto c = config::load(config::Flags{}, fake_env);
    CHECK(c.libvirt.uri == "qemu+tcp://kvm1/system");
    CHECK(c.libvirt.timeout == 7s);
    CHECK(c.libvirt.device_cache_ttl == 60s);
    CHECK(c.push.url == "http://influx:8086");
    CHECK(c.push.database == "one");
    CHECK(c.push.org == "acme");
    CHECK(c.push.token == "tok");
    CHECK(c.push.api == config::PushApi::v2);
    CHECK(c.push.interval == 15s);
    CHECK(c.push.batch_max_lines == 250);
    CHECK(c.push.batch_max_sec == 2s);
    CHECK(c.push.active());
    CHECK(c.origins.at("push.interval") == "environment POLL_INTERVAL");
}

TEST_CASE("environment durations are seconds and may carry a unit")
{
    FakeEnv env({{"POLL_INTERVAL", "0.5"}, {"BATCH_MAX_SEC", "250ms"}});
    const auto c = config::load(config::Flags{}, fake_env);
    CHECK(c.push.interval == 500ms);
    CHECK(c.push.batch_max_sec == 250ms);
}

TEST_CASE("a bad environment value is an error naming the variable")
{
    {
        FakeEnv env({{"INFLUX_API", "v9"}});
        CHECK(error_of([] { config::load(config::Flags{}, fake_env); }) ==
              "environment INFLUX_API: must be one of v1, v2, v3, got \"v9\"");
    }
    {
        FakeEnv env({{"BATCH_MAX_LINES", "lots"}});
        CHECK(error_of([] { config::load(config::Flags{}, fake_env); }) ==
              "environment BATCH_MAX_LINES: must be a whole number, got \"lots\"");
    }
    {
        FakeEnv env({{"POLL_INTERVAL", "-5"}});
        CHECK(error_of([] { config::load(config::Flags{}, fake_env); }) ==
              "environment POLL_INTERVAL: must be > 0, got -5");
    }
    {
        FakeEnv env({{"LIBVIRT_TIMEOUT", "1.5"}});
        CHECK(error_of([] { config::load(config::Flags{}, fake_env); }) ==
              "environment LIBVIRT_TIMEOUT: must be a whole number of seconds, got \"1.5\"");
    }
    {
        FakeEnv env({{"INFLUX_URL", "influx:8086"}});
        CHECK(error_of([] { config::load(config::Flags{}, fake_env); }) ==
              "environment INFLUX_URL: must be an http:// or https:// URL, got \"influx:8086\"");
    }
}

TEST_CASE("the process environment is read through process_getenv")
{
    ::setenv("VIRT_EXPORTER_CONFIG_TEST_VAR", "value", 1);
    CHECK(config::process_getenv("VIRT_EXPORTER_CONFIG_TEST_VAR") == "value");
    ::unsetenv("VIRT_EXPORTER_CONFIG_TEST_VAR");
    CHECK_FALSE(config::process_getenv("VIRT_EXPORTER_CONFIG_TEST_VAR").has_value());
}
