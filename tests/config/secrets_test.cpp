// Secrets must never leave the process through the config library: not in an error, a warning,
// --print-config (to_yaml) or /api/config (to_json). Each test greps the output for the secret.
#include "support/config_helpers.hpp"
#include "support/temp_dir.hpp"

using config_test::error_of;
using config_test::fake_env;
using config_test::FakeEnv;
using config_test::from_yaml;
using config_test::no_env;
using test_support::TempDir;

namespace {

constexpr const char* token = "s3cr3t-T0KEN";
constexpr const char* password = "pa55-W0RD";

bool leaks(const std::string& text)
{
    return text.find(token) != std::string::npos || text.find(password) != std::string::npos;
}

}  // namespace

TEST_CASE("secrets print as *** in to_yaml and to_json, and empty ones as empty strings")
{
    TempDir dir;
    const auto file = dir.write("a.yaml", std::string("push:\n  url: http://influx:8086\n  database: d\n") +
                                              "  token_file: " + dir.write("token", std::string(token) + "\n") +
                                              "\n  password: " + password + "\n");
    const auto c = config::load(
        [&] {
            config::Flags f;
            f.config_file = file;
            return f;
        }(),
        no_env);
    REQUIRE(c.push.token == token);
    for (const auto& out : {config::to_yaml(c), config::to_json(c)}) {
        CAPTURE(out);
        CHECK_FALSE(leaks(out));
        CHECK(out.find("\"***\"") != std::string::npos);
    }
    CHECK(config::to_yaml(c).find("  token: \"***\"\n") != std::string::npos);
    CHECK(config::to_yaml(config::Config{}).find("  token: \"\"\n") != std::string::npos);
    CHECK(config::to_json(config::Config{}).find("\"password\":\"\"") != std::string::npos);
}

TEST_CASE("a password inside the push URL is masked in output and in errors")
{
    auto c = from_yaml(std::string("push:\n  url: http://user:") + password + "@influx:8086\n  database: d\n");
    CHECK_FALSE(leaks(config::to_yaml(c)));
    CHECK(config::to_yaml(c).find("http://user:***@influx:8086") != std::string::npos);
    const auto message =
        config_test::yaml_error(std::string("push:\n  url: \"http://user:") + password + "@influx:99999\"\n");
    CHECK(message == "/x.yaml:2: push.url: port must be 1-65535, got \"http://user:***@influx:99999\"");
}

TEST_CASE("secrets never appear in errors or warnings about the keys around them")
{
    const std::string secret_lines = std::string("  token: ") + token + "\n  password: " + password + "\n";
    std::vector<std::string> messages;
    // Errors found while parsing, while validating, and unknown keys next to the secrets.
    for (const std::string& yaml :
         {"push:\n" + secret_lines + "  interval: -1\n", "push:\n" + secret_lines + "  batch_max_lines: x\n",
          "push:\n" + secret_lines + "  token: again\n", "push:\n  token: [" + std::string(token) + "]\n",
          "push:\n  password: {" + std::string(password) + ": 1}\n",
          "push:\n" + secret_lines + "  api: " + token + "\n",
          "push:\n  url: http://x:1\n" + secret_lines + "  tokn: " + token + "\n"}) {
        std::vector<std::string> warnings;
        messages.push_back(error_of([&] { config::validate(from_yaml(yaml, &warnings)); }));
        messages.insert(messages.end(), warnings.begin(), warnings.end());
    }
    // api: <token> is not a secret key: quoting it is right; everything else must stay silent.
    for (std::size_t i = 0; i < messages.size(); ++i) {
        CAPTURE(messages[i]);
        if (messages[i].find("push.api") != std::string::npos) continue;
        CHECK_FALSE(leaks(messages[i]));
    }
    {
        FakeEnv env({{"INFLUX_TOKEN", token}, {"INFLUX_URL", "http://x:1"}});
        const auto message = error_of([] { config::load(config::Flags{}, fake_env); });  // no database
        CHECK(message == "push.database: is required when push is enabled with push.api v1");
    }
}

TEST_CASE("the *** mask from --print-config is refused as a secret")
{
    TempDir dir;
    const auto file = dir.write("a.yaml", "push:\n  token: \"***\"\n");
    CHECK(error_of([&] {
              config::Flags f;
              f.config_file = file;
              config::load(f, no_env);
          }) == file +
                    ":2: push.token: is \"***\", the mask --print-config shows, not a secret; set the real value or "
                    "push.token_file");
    // With token_file next to it (what --print-config prints for a token read from a file) the file wins.
    const auto file2 = dir.write("b.yaml", "push:\n  token: \"***\"\n  token_file: " + dir.write("t", "real\n") + "\n");
    CHECK(config::load(
              [&] {
                  config::Flags f;
                  f.config_file = file2;
                  return f;
              }(),
              no_env)
              .push.token == "real");
}
