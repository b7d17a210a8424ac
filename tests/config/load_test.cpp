#include "support/config_helpers.hpp"
#include "support/temp_dir.hpp"

#include <cstdlib>

#include "build_info.hpp"
#include "config/internal.hpp"

using namespace std::chrono_literals;
using config_test::error_of;
using config_test::fake_env;
using config_test::FakeEnv;
using config_test::no_env;
using config_test::with_file;
using test_support::TempDir;

TEST_CASE("without a config file load gives the built-in defaults")
{
    const auto c = config::load(config::Flags{}, no_env);
    CHECK(c.same_settings(config::Config{}));
    CHECK(c.source_file.empty());
    CHECK(c.libvirt.uri == "qemu:///system");
    CHECK_FALSE(c.push.active());
}

TEST_CASE("precedence is defaults < file < environment < flags")
{
    TempDir dir;
    const auto file = dir.write("a.yaml",
                                "libvirt:\n  uri: test:///file\n  timeout: 3\n"
                                "push:\n  interval: 2\n  batch_max_lines: 10\n  buffer_max_lines: 10\n");
    FakeEnv env({{"LIBVIRT_URI", "test:///env"}, {"POLL_INTERVAL", "4"}});
    auto flags = with_file(file);
    flags.libvirt_uri = "test:///flag";
    const auto c = config::load(flags, fake_env);
    CHECK(c.libvirt.uri == "test:///flag");          // flag beats environment and file
    CHECK(c.push.interval == 4s);                    // environment beats file
    CHECK(c.libvirt.timeout == 3s);                  // file beats default
    CHECK(c.push.batch_max_lines == 10);             // file beats default
    CHECK(c.libvirt.device_cache_ttl == 300s);       // default
    CHECK(c.libvirt.storage_pools);                  // default: on
    CHECK(c.libvirt.storage_pools_interval == 15s);  // default
    CHECK(c.source_file == file);
    CHECK(c.origins.at("libvirt.uri") == "flag --libvirt.uri");
}

TEST_CASE("a missing config file is an error naming it and the system's reason")
{
    CHECK(error_of([] { config::load(with_file("/nonexistent/virt-exporter.yaml"), no_env); }) ==
          "cannot read config file /nonexistent/virt-exporter.yaml: No such file or directory");
    TempDir dir;
    CHECK(error_of([&] { config::load(with_file(dir.path("")), no_env); }).ends_with(": Is a directory"));
}

TEST_CASE("load reports unknown keys as warnings and still loads")
{
    TempDir dir;
    const auto file = dir.write("a.yaml", "web:\n  listen_adresses: [\":1\"]\n");
    std::vector<std::string> warnings;
    const auto c = config::load(with_file(file), no_env, &warnings);
    CHECK(c.web.listen_addresses == std::vector<std::string>{":9177"});
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] == file + ":2: unknown key web.listen_adresses (ignored)");
}

TEST_CASE("token_file and password_file are read at load with the trailing newline trimmed")
{
    TempDir dir;
    const auto token = dir.write("token", "tok-123\n");
    const auto password = dir.write("password", "pw 456\r\n");
    const auto file =
        dir.write("a.yaml", "push:\n  token: inline\n  token_file: " + token + "\n  password_file: " + password + "\n");
    const auto c = config::load(with_file(file), no_env);
    CHECK(c.push.token == "tok-123");  // the file wins over a token from the same source
    CHECK(c.push.password == "pw 456");
}

TEST_CASE("INFLUX_TOKEN overrides a token_file from the config file")
{
    TempDir dir;
    const auto file = dir.write("a.yaml", "push:\n  token_file: " + dir.write("token", "from-file\n") + "\n");
    FakeEnv env({{"INFLUX_TOKEN", "from-env"}});
    CHECK(config::load(with_file(file), fake_env).push.token == "from-env");
}

TEST_CASE("an unreadable or empty token_file is an error with file, line and key")
{
    TempDir dir;
    const auto file = dir.write("a.yaml", "push:\n\n  token_file: /nonexistent/token\n");
    CHECK(error_of([&] { config::load(with_file(file), no_env); }) ==
          file + ":3: push.token_file: cannot read \"/nonexistent/token\": No such file or directory");
    const auto empty = dir.write("empty", "\n");
    const auto file2 = dir.write("b.yaml", "push:\n  password_file: " + empty + "\n");
    CHECK(error_of([&] { config::load(with_file(file2), no_env); }) ==
          file2 + ":2: push.password_file: \"" + empty + "\" is empty");
}

TEST_CASE("web.config_file and push.tls_ca_file must be readable at start")
{
    TempDir dir;
    const auto file = dir.write("a.yaml", "web:\n  config_file: /nonexistent/web.yml\n");
    CHECK(error_of([&] { config::load(with_file(file), no_env); }) ==
          file + ":2: web.config_file: cannot read \"/nonexistent/web.yml\": No such file or directory");
    config::Flags flags;
    flags.web_config_file = dir.write("web.yml", "basic_auth_users: {}\n");
    CHECK(config::load(flags, no_env).web.config_file == dir.path("web.yml"));
}

TEST_CASE("push.bucket defaults to push.database for v2")
{
    FakeEnv env(
        {{"INFLUX_URL", "http://influx:8086"}, {"INFLUX_API", "v2"}, {"INFLUX_ORG", "o"}, {"INFLUX_DB", "vms"}});
    CHECK(config::load(config::Flags{}, fake_env).push.bucket == "vms");
}

TEST_CASE("the example config/exporter.yaml documents every key with its default and no typos")
{
    // meson test sets the variable; run by hand, the binary falls back to the tree it was built from.
    const char* source_dir = std::getenv("VIRT_EXPORTER_SOURCE_DIR");
    if (!source_dir) source_dir = VIRT_EXPORTER_SOURCE_DIR;
    const std::string path = std::string(source_dir) + "/config/exporter.yaml";
    std::vector<std::string> warnings;
    const auto c = config::load(with_file(path), no_env, &warnings);
    CHECK(warnings.empty());
    const config::Config defaults;
    CHECK(c.libvirt == defaults.libvirt);
    CHECK(c.web == defaults.web);
    CHECK(c.push == defaults.push);
    CHECK(c.log == defaults.log);
    // Every key of the table appears in the file (a value equal to the default proves nothing alone).
    for (const auto& field : config::detail::fields()) {
        CAPTURE(field.path);
        CHECK(c.origins.count(std::string(field.path)) == 1);
    }
}

TEST_CASE("the guest agent is off by default and its settings load from libvirt.guest_agent")
{
    CHECK_FALSE(config::load(config::Flags{}, no_env).libvirt.guest_agent.enabled);
    CHECK(config::load(config::Flags{}, no_env).libvirt.guest_agent.interval == 60s);
    TempDir dir;
    const auto file = dir.write("a.yaml", "libvirt:\n  guest_agent:\n    enabled: true\n    interval: 30\n");
    const auto c = config::load(with_file(file), no_env);
    CHECK(c.libvirt.guest_agent.enabled);
    CHECK(c.libvirt.guest_agent.interval == 30s);
    const auto zero = dir.write("b.yaml", "libvirt:\n  guest_agent:\n    interval: 0\n");
    CHECK(error_of([&] { config::load(with_file(zero), no_env); }).find("libvirt.guest_agent.interval") !=
          std::string::npos);
}
