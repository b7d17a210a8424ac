#include <doctest/doctest.h>

#include <string>

#include "app/pipeline.hpp"
#include "support/manual_clock.hpp"

TEST_CASE("stats_group_mask sets the bit of each named group")
{
    CHECK(app::stats_group_mask({"state"}) == virt::stats_state);
    CHECK(app::stats_group_mask({"cpu_total", "block"}) == (virt::stats_cpu_total | virt::stats_block));
    CHECK(app::stats_group_mask({"state", "cpu_total", "balloon", "vcpu", "interface", "block"}) ==
          virt::default_stats_groups);
}

TEST_CASE("stats_group_mask of a name given twice sets its bit once")
{
    CHECK(app::stats_group_mask({"vcpu", "vcpu"}) == virt::stats_vcpu);
}

TEST_CASE("stats_group_mask of no names is the empty mask")
{
    CHECK(app::stats_group_mask({}) == 0u);
}

TEST_CASE("stats_group_mask refuses an unknown group, naming the setting and the group")
{
    try {
        app::stats_group_mask({"state", "cpu_totl"});
        FAIL("no ConfigError");
    } catch (const config::ConfigError& e) {
        const std::string what = e.what();
        CHECK(what.find("libvirt.stats_groups") != std::string::npos);
        CHECK(what.find("cpu_totl") != std::string::npos);
    }
}

TEST_CASE("a pipeline with an invalid VMID pattern is refused with a ConfigError naming the setting")
{
    test_support::ManualClock clock;
    config::Config config;
    config.push.vmid_regex = "one-(\\d+";
    try {
        app::Pipeline pipeline(config, clock);
        FAIL("no ConfigError");
    } catch (const config::ConfigError& e) {
        CHECK(std::string(e.what()).find("push.vmid_regex") != std::string::npos);
    }
}
