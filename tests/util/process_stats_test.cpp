#include <doctest/doctest.h>

#include "util/process_stats.hpp"

#include <thread>

namespace {
// A /proc/PID/stat line whose command name holds spaces and parentheses, as a thread name can.
constexpr std::string_view stat_line =
    "4242 (virt (exp) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 50 0 0 20 0 7 0 1000 104857600 2560 "
    "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";
}  // namespace

TEST_CASE("reads CPU time, threads, start time and memory from a stat line whose name holds parentheses")
{
    const auto s = util::parse_proc_stat(stat_line, 100, 4096, 1'700'000'000);
    REQUIRE(s);
    CHECK(s->cpu_seconds == doctest::Approx(3.0));  // (250 + 50) ticks at 100 Hz
    CHECK(s->threads == 7);
    CHECK(s->start_time_unix == doctest::Approx(1'700'000'010.0));  // boot + 1000 ticks
    CHECK(s->virtual_bytes == 104857600);
    CHECK(s->resident_bytes == 2560u * 4096u);
}

TEST_CASE("a stat line without all fields is not read")
{
    CHECK_FALSE(util::parse_proc_stat("4242 (virt-exporter) S 1 4242", 100, 4096, 0));
    CHECK_FALSE(util::parse_proc_stat("no parenthesis at all", 100, 4096, 0));
    CHECK_FALSE(util::parse_proc_stat(stat_line, 0, 4096, 0));
}

TEST_CASE("finds the boot time in /proc/stat")
{
    CHECK(util::parse_boot_time("cpu  1 2 3\nintr 5\nbtime 1763856000\nprocesses 9\n") == 1763856000.0);
    CHECK_FALSE(util::parse_boot_time("cpu  1 2 3\n"));
}

TEST_CASE("this process's descriptors and threads are counted")
{
    const auto before = util::read_process_stats();
    REQUIRE(before);
    CHECK(before->open_fds >= 3);
    CHECK(before->max_fds >= before->open_fds);
    std::thread t([] {
        const auto during = util::read_process_stats();
        REQUIRE(during);
        CHECK(during->threads >= 2);
    });
    t.join();
    CHECK(before->resident_bytes > 0);
}
