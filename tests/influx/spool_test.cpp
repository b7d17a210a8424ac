#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "influx/spool.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;

TEST_CASE("segments are replayed oldest first, also by a new spool over the same directory")
{
    const test_support::TempDir temp;
    const std::string dir = temp.root().string();
    {
        influx::Spool s(dir, 1 << 20);
        CHECK(s.store({"a 1", "b 2"}));
        CHECK(s.store({"c 3"}));
        CHECK(s.segments() == 2);
        CHECK(s.lines() == 3);
    }
    influx::Spool again(dir, 1 << 20);  // an exporter restart
    CHECK(again.segments() == 2);
    auto first = again.oldest();
    REQUIRE(first);
    CHECK(first->lines == std::vector<std::string>{"a 1", "b 2"});
    again.remove(first->id);
    auto second = again.oldest();
    REQUIRE(second);
    CHECK(second->lines == std::vector<std::string>{"c 3"});
    again.remove(second->id);
    CHECK_FALSE(again.oldest());
    CHECK(again.bytes() == 0);
    CHECK(again.store({"d 4"}));  // ids keep growing after a restart, so order holds
}

TEST_CASE("a segment that would exceed spool_max_bytes is refused")
{
    const test_support::TempDir temp;
    const std::string dir = temp.root().string();
    influx::Spool s(dir, 10);
    CHECK(s.store({"12345"}));
    CHECK_FALSE(s.store({"67890"}));
    CHECK(s.bytes() == 6);
}

TEST_CASE("a half-written segment left by a crash is discarded on start")
{
    const test_support::TempDir temp;
    const std::string dir = temp.root().string();
    std::ofstream(dir + "/00000000000000000007.lp.tmp") << "partial";
    std::ofstream(dir + "/00000000000000000003.lp") << "x 1\n";
    influx::Spool s(dir, 1 << 20);
    CHECK(s.segments() == 1);
    CHECK_FALSE(fs::exists(dir + "/00000000000000000007.lp.tmp"));
}

TEST_CASE("a disabled spool stores nothing")
{
    influx::Spool s("", 1 << 20);
    CHECK_FALSE(s.enabled());
    CHECK_FALSE(s.store({"a 1"}));
    CHECK_FALSE(s.oldest());
}

TEST_CASE("a spool directory that cannot be created stops the start with its name")
{
    CHECK_THROWS_WITH_AS(influx::Spool("/proc/no/such/dir", 1 << 20), doctest::Contains("/proc/no/such/dir"),
                         std::runtime_error);
}
