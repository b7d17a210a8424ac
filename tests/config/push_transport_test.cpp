// push.tls_cert_file/tls_key_file, push.proxy/no_proxy and the InfluxDB 3 options (push.v3.*): how they
// are read, checked and shown.
#include "support/config_helpers.hpp"
#include "support/temp_dir.hpp"

using config_test::error_of;
using config_test::from_yaml;
using config_test::no_env;
using config_test::with_file;
using config_test::yaml_error;
using test_support::TempDir;

TEST_CASE("push.v3 is a map under push whose keys are the write_lp options")
{
    const auto c = from_yaml("push:\n  api: v3\n  v3:\n    no_sync: true\n    accept_partial: false\n");
    CHECK(c.push.v3.no_sync);
    CHECK_FALSE(c.push.v3.accept_partial);
    CHECK(c.origins.at("push.v3.no_sync") == "/x.yaml:4: push.v3.no_sync");
    CHECK_NOTHROW(config::validate(c));
    CHECK(from_yaml("push:\n  v3:\n").push.v3 == config::PushV3Config{});
}

TEST_CASE("push.v3 that is not a map, or a misspelt key in it, is reported with its line")
{
    CHECK(error_of([] { from_yaml("push:\n  v3: true\n"); }) == "/x.yaml:2: push.v3: must be a map, got a scalar");
    std::vector<std::string> warnings;
    from_yaml("push:\n  v3:\n    nosync: true\n", &warnings);
    CHECK(warnings == std::vector<std::string>{"/x.yaml:3: unknown key push.v3.nosync (ignored)"});
    CHECK(error_of([] { from_yaml("push:\n  v3:\n    no_sync: perhaps\n"); }) ==
          "/x.yaml:3: push.v3.no_sync: must be true or false, got \"perhaps\"");
}

TEST_CASE("a v3 option away from its default with push.api v1 or v2 stops the start with file, line and key")
{
    CHECK(yaml_error("push:\n  v3:\n    no_sync: true\n") ==
          "/x.yaml:3: push.v3.no_sync: is an option of push.api v3 (a query parameter of /api/v3/write_lp), but "
          "push.api is v1: remove it or set push.api: v3");
    CHECK(yaml_error("push:\n  api: v2\n  v3:\n    accept_partial: false\n") ==
          "/x.yaml:4: push.v3.accept_partial: is an option of push.api v3 (a query parameter of /api/v3/write_lp), "
          "but push.api is v2: remove it or set push.api: v3");
    // The defaults written out (as config/exporter.yaml does) are fine with any API.
    CHECK_NOTHROW(config::validate(from_yaml("push:\n  v3:\n    no_sync: false\n    accept_partial: true\n")));
}

TEST_CASE("a client certificate needs its key and the key its certificate")
{
    CHECK(yaml_error("push:\n  tls_cert_file: /c.pem\n") ==
          "/x.yaml:2: push.tls_cert_file: needs push.tls_key_file too (a client certificate is its certificate and "
          "key)");
    CHECK(yaml_error("push:\n  tls_key_file: /c.key\n") ==
          "/x.yaml:2: push.tls_key_file: needs push.tls_cert_file too (a client certificate is its certificate and "
          "key)");
}

TEST_CASE("the client certificate and key must be readable at start, named by their key")
{
    TempDir dir;
    const auto cert = dir.write("c.pem", "cert");
    const auto file = dir.write("a.yaml", "push:\n  tls_cert_file: " + cert + "\n  tls_key_file: /nonexistent/c.key\n");
    CHECK(error_of([&] { config::load(with_file(file), no_env); }) ==
          file + ":3: push.tls_key_file: cannot read \"/nonexistent/c.key\": No such file or directory");
    const auto key = dir.write("c.key", "key");
    const auto good = dir.write("b.yaml", "push:\n  tls_cert_file: " + cert + "\n  tls_key_file: " + key + "\n");
    const auto c = config::load(with_file(good), no_env);
    CHECK(c.push.tls_cert_file == cert);
    CHECK(c.push.tls_key_file == key);
}

TEST_CASE("push.proxy takes the schemes libcurl knows for a proxy and is shown with its password masked")
{
    for (const char* ok : {"http://proxy:3128", "https://proxy.example", "socks5h://127.0.0.1:1080", "socks4a://p:1080",
                           "http://user:pw@[::1]:3128"})
        CHECK_NOTHROW(config::validate(from_yaml(std::string("push:\n  proxy: \"") + ok + "\"\n")));
    CHECK(yaml_error("push:\n  proxy: \"ftp://u:s3cret@proxy:21\"\n") ==
          "/x.yaml:2: push.proxy: must be an http://, https://, socks4://, socks4a://, socks5:// or socks5h:// URL, "
          "got \"ftp://u:***@proxy:21\"");
    CHECK(yaml_error("push:\n  proxy: \"http://:3128\"\n") ==
          "/x.yaml:2: push.proxy: has no host, got \"http://:3128\"");
    config::Config c;
    c.push.proxy = "http://squid:pw-SECRET@proxy.example:3128";
    for (const auto& text : {config::to_json(c), config::to_yaml(c)}) {
        CHECK(text.find("pw-SECRET") == std::string::npos);
        CHECK(text.find("http://squid:***@proxy.example:3128") != std::string::npos);
    }
}

TEST_CASE("push.no_proxy is one line")
{
    CHECK_NOTHROW(config::validate(from_yaml("push:\n  no_proxy: \"localhost, .internal,10.0.0.0/8\"\n")));
    CHECK(yaml_error("push:\n  no_proxy: \"a\\nb\"\n") ==
          "/x.yaml:2: push.no_proxy: must be one line: hosts, domains or CIDRs separated by commas");
}

TEST_CASE("the v3 options render as a nested map in YAML and JSON")
{
    config::Config c;
    c.push.v3.no_sync = true;
    const auto yaml = config::to_yaml(c);
    CHECK(yaml.find("\n  no_proxy: \"\"\n  v3:\n    no_sync: true\n    accept_partial: true\nlog:\n") !=
          std::string::npos);
    const auto json = config::to_json(c);
    CHECK(json.find(",\"no_proxy\":\"\",\"v3\":{\"no_sync\":true,\"accept_partial\":true}},\"log\":{") !=
          std::string::npos);
    CHECK(from_yaml(yaml).push == c.push);
    CHECK(from_yaml(json).push == c.push);
}

TEST_CASE("push.urls lists write URLs in order, each checked and shown with its password masked")
{
    const auto c = from_yaml("push:\n  urls: [\"http://a:8086\", \"https://w:pw-SECRET@b:8086\"]\n  database: vms\n");
    CHECK(c.push.endpoints() == std::vector<std::string>{"http://a:8086", "https://w:pw-SECRET@b:8086"});
    CHECK(c.push.active());
    CHECK_NOTHROW(config::validate(c));
    const auto json = config::to_json(c);
    CHECK(json.find("\"urls\":[\"http://a:8086\",\"https://w:***@b:8086\"]") != std::string::npos);
    CHECK(json.find("pw-SECRET") == std::string::npos);
    CHECK(yaml_error("push:\n  urls:\n    - http://a:8086\n    - ftp://b\n") ==
          "/x.yaml:4: push.urls[1]: must be an http:// or https:// URL, got \"ftp://b\"");
    CHECK(yaml_error("push:\n  url: http://a:8086\n  urls: [\"http://b:8086\"]\n  database: vms\n") ==
          "/x.yaml:3: push.urls: and push.url (or INFLUX_URL) are both set: list every URL in push.urls, or use "
          "push.url alone");
    CHECK(config::PushConfig{}.endpoints().empty());
}
