#include <doctest/doctest.h>

#include <string>

#include "app/reload.hpp"
#include "support/manual_clock.hpp"
#include "support/temp_dir.hpp"
#include "util/log.hpp"

using namespace std::chrono_literals;

namespace {

// A running configuration loaded from a file the test then rewrites, and the cache reload() sets.
struct Rig {
    test_support::TempDir dir;
    config::Flags flags;
    config::Config current;
    test_support::ManualClock clock;
    collect::DeviceCache cache{clock, 300s};
    util::LogLevel level_before = util::log_level();

    Rig()
    {
        flags.config_file = dir.write("exporter.yaml", "libvirt:\n  uri: \"test:///default\"\n");
        current = config::load(flags);
    }
    ~Rig() { util::set_log_level(level_before); }
    Rig(const Rig&) = delete;
    Rig& operator=(const Rig&) = delete;

    void rewrite(const std::string& yaml) const { dir.write("exporter.yaml", yaml); }
};

}  // namespace

TEST_CASE("a reload applies a new log level and device cache TTL at once")
{
    Rig rig;
    rig.rewrite("libvirt:\n  uri: \"test:///default\"\n  device_cache_ttl: 60\nlog:\n  level: error\n");
    CHECK(app::reload(rig.current, rig.flags, rig.cache) == app::ReloadOutcome::reloaded);
    CHECK(util::log_level() == util::LogLevel::error);
    CHECK(rig.current.libvirt.device_cache_ttl == 60s);
}

TEST_CASE("a reload keeps a setting that needs a restart and says so")
{
    Rig rig;
    rig.rewrite("libvirt:\n  uri: \"test:///other\"\n  device_cache_ttl: 90\n");
    CHECK(app::reload(rig.current, rig.flags, rig.cache) == app::ReloadOutcome::restart_needed);
    CHECK(rig.current.libvirt.uri == "test:///default");
    CHECK(rig.current.libvirt.device_cache_ttl == 90s);  // the live part is taken all the same
}

TEST_CASE("a reload of a file that does not load keeps the running configuration")
{
    Rig rig;
    const config::Config before = rig.current;
    rig.rewrite("libvirt:\n  device_cache_ttl: [\n");
    CHECK(app::reload(rig.current, rig.flags, rig.cache) == app::ReloadOutcome::rejected);
    CHECK(rig.current.same_settings(before));
    CHECK(util::log_level() == rig.level_before);
}

TEST_CASE("a reload of an unchanged file changes nothing")
{
    Rig rig;
    const config::Config before = rig.current;
    CHECK(app::reload(rig.current, rig.flags, rig.cache) == app::ReloadOutcome::reloaded);
    CHECK(rig.current.same_settings(before));
}
