// libvirt.domains.include / .exclude and libvirt.inactive: read from the nested map (or its dotted form),
// each pattern compiled once where it is read, a bad one reported with file, line and key.
#include <regex>

#include "support/config_helpers.hpp"

using config_test::from_yaml;
using config_test::yaml_error;

TEST_CASE("libvirt.domains takes include and exclude lists of patterns, compiled once")
{
    const auto c = from_yaml(
        "libvirt:\n  domains:\n    include: ['web-.*', 'db-primary']\n    exclude: ['.*-old']\n"
        "  inactive: false\n");
    REQUIRE(c.libvirt.domains.include.size() == 2);
    REQUIRE(c.libvirt.domains.exclude.size() == 1);
    CHECK(c.libvirt.domains.include[0].text() == "web-.*");
    REQUIRE(c.libvirt.domains.include[0].regex() != nullptr);
    CHECK(std::regex_match("web-frontend-01", *c.libvirt.domains.include[0].regex()));
    CHECK_FALSE(c.libvirt.inactive);
    CHECK(c.origins.at("libvirt.domains.include[1]") == "/x.yaml:3: libvirt.domains.include[1]");
}

TEST_CASE("the defaults filter nothing")
{
    const config::Config c;
    CHECK(c.libvirt.domains.include.empty());
    CHECK(c.libvirt.domains.exclude.empty());
    CHECK(c.libvirt.inactive);
}

TEST_CASE("the dotted key is the same setting as the nested one")
{
    const auto c = from_yaml("libvirt:\n  domains.exclude: ['test-.*']\n");
    REQUIRE(c.libvirt.domains.exclude.size() == 1);
    CHECK(c.libvirt.domains.exclude[0].text() == "test-.*");
}

TEST_CASE("a pattern that does not compile fails at start with file, line and key")
{
    CHECK(yaml_error("libvirt:\n  domains:\n    include: ['ok', 'web-(']\n")
              .starts_with("/x.yaml:3: libvirt.domains.include[1]: invalid regular expression"));
    CHECK(yaml_error("libvirt:\n  domains:\n    exclude: '.*'\n") ==
          "/x.yaml:3: libvirt.domains.exclude: must be a list, got a scalar");
}

TEST_CASE("an unknown key under libvirt.domains is a warning, as any unknown key is")
{
    std::vector<std::string> warnings;
    from_yaml("libvirt:\n  domains:\n    inclde: ['x']\n", &warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] == "/x.yaml:3: unknown key libvirt.domains.inclde (ignored)");
}
