#include <doctest/doctest.h>

#include <regex>

#include "collect/vmid.hpp"

TEST_CASE("the default rule takes the VMID from an OpenNebula name")
{
    const collect::VmidRule rule;
    CHECK(rule.vmid("one-42", 7) == "42");
    CHECK(rule.vmid("one-0", 1) == "0");
}

TEST_CASE("a name the rule does not match falls back to the libvirt domain id")
{
    const collect::VmidRule rule;
    CHECK(rule.vmid("web-frontend", 7) == "7");
    CHECK(rule.vmid("one-42-clone", 3) == "3");  // anchored at both ends
    CHECK(rule.vmid("xone-42", 3) == "3");
}

TEST_CASE("a shut-off domain the rule does not match has no VMID")
{
    const collect::VmidRule rule;
    CHECK(rule.vmid("web-frontend", -1).empty());
    CHECK(rule.vmid("one-42", -1) == "42");  // the name alone gives it
}

TEST_CASE("a configured pattern's first capture group is the VMID")
{
    const collect::VmidRule rule("^instance-([0-9a-f]+)$");
    CHECK(rule.vmid("instance-00beef", 2) == "00beef");
    CHECK(rule.vmid("one-42", 2) == "2");
}

TEST_CASE("a pattern without a capture group takes the whole match")
{
    const collect::VmidRule rule("[0-9]+$");
    CHECK(rule.vmid("vm-17", 5) == "17");
}

TEST_CASE("an empty match falls back to the domain id")
{
    const collect::VmidRule rule("^(\\d*)");
    CHECK(rule.vmid("web", 5) == "5");
}

TEST_CASE("an invalid pattern throws std::regex_error")
{
    CHECK_THROWS_AS(collect::VmidRule("one-(\\d+"), std::regex_error);
}

TEST_CASE("a name too long for std::regex's recursion gets the domain id instead of crashing")
{
    const collect::VmidRule rule;
    CHECK(rule.vmid("one-" + std::string(200000, '1'), 9) == "9");
    CHECK(rule.vmid("one-" + std::string(250, '1'), 9) == std::string(250, '1'));
}
