// web.max_connections, web.request_timeout, web.keep_alive_timeout: what CivetWeb is started with
// (src/http/capacity.hpp and server.cpp say why).
#include "support/config_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using config_test::from_yaml;
using config_test::yaml_error;

TEST_CASE("the defaults: 2048 connections, 5 s for a request's headers, 30 s between kept-alive requests")
{
    const config::WebConfig w;
    CHECK(w.max_connections == 2048);
    CHECK(w.request_timeout == 5000ms);
    CHECK(w.keep_alive_timeout == 30000ms);
}

TEST_CASE("the three are read from the file, durations in seconds or with a unit")
{
    const auto c = from_yaml("web:\n  max_connections: 300\n  request_timeout: 2.5\n  keep_alive_timeout: 1m\n");
    CHECK(c.web.max_connections == 300);
    CHECK(c.web.request_timeout == 2500ms);
    CHECK(c.web.keep_alive_timeout == 60000ms);
    CHECK_NOTHROW(config::validate(c));
    CHECK(c.origins.at("web.max_connections") == "/x.yaml:2: web.max_connections");
}

TEST_CASE("max_connections outside 1-65536 is refused with file, line and key")
{
    CHECK(yaml_error("web:\n  max_connections: 0\n") ==
          "/x.yaml:2: web.max_connections: must be between 1 and 65536, got 0");
    CHECK(yaml_error("# x\nweb:\n  scrape_timeout: 2\n  max_connections: 65537\n") ==
          "/x.yaml:4: web.max_connections: must be between 1 and 65536, got 65537");
    CHECK(yaml_error("web:\n  max_connections: many\n") ==
          "/x.yaml:2: web.max_connections: must be a whole number, got \"many\"");
    CHECK(yaml_error("web:\n  max_connections: -1\n") == "/x.yaml:2: web.max_connections: must be >= 0, got -1");
    CHECK_NOTHROW(config::validate(from_yaml("web:\n  max_connections: 1\n")));
    CHECK_NOTHROW(config::validate(from_yaml("web:\n  max_connections: 65536\n")));
}

TEST_CASE("zero or negative timeouts are refused with file, line and key")
{
    CHECK(yaml_error("web:\n  request_timeout: 0\n") == "/x.yaml:2: web.request_timeout: must be > 0, got 0");
    CHECK(yaml_error("web:\n  keep_alive_timeout: -1\n") == "/x.yaml:2: web.keep_alive_timeout: must be > 0, got -1");
    CHECK(yaml_error("web:\n  request_timeout: soon\n").starts_with("/x.yaml:2: web.request_timeout: "));
}

TEST_CASE("the three round-trip through the rendered configuration and show in JSON")
{
    auto c = from_yaml("web:\n  max_connections: 64\n  request_timeout: 750ms\n  keep_alive_timeout: 10\n");
    const auto back = from_yaml(config::to_yaml(c));
    CHECK(back.web == c.web);
    const auto json = config::to_json(c);
    CHECK(json.find("\"max_connections\":64") != std::string::npos);
    CHECK(json.find("\"request_timeout\":0.75") != std::string::npos);
    CHECK(json.find("\"keep_alive_timeout\":10") != std::string::npos);
}

TEST_CASE("VIRT_EXPORTER_WEB_MAX_CONNECTIONS sets max_connections over the file; a bad value names the variable")
{
    test_support::TempDir dir;
    config::Flags flags;
    flags.config_file = dir.write("a.yaml", "web:\n  max_connections: 300\n");
    {
        config_test::FakeEnv env{{"VIRT_EXPORTER_WEB_MAX_CONNECTIONS", "64"}};
        CHECK(config::load(flags, config_test::fake_env).web.max_connections == 64);
    }
    {
        config_test::FakeEnv env{{"VIRT_EXPORTER_WEB_MAX_CONNECTIONS", "0"}};
        CHECK(config_test::error_of([&] { config::load(flags, config_test::fake_env); }) ==
              "environment VIRT_EXPORTER_WEB_MAX_CONNECTIONS: must be between 1 and 65536, got 0");
    }
    {
        config_test::FakeEnv env{{"VIRT_EXPORTER_WEB_MAX_CONNECTIONS", "lots"}};
        CHECK(config_test::error_of([&] { config::load(flags, config_test::fake_env); }) ==
              "environment VIRT_EXPORTER_WEB_MAX_CONNECTIONS: must be a whole number, got \"lots\"");
    }
}
