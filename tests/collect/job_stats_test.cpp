#include <doctest/doctest.h>

#include <limits>

#include "collect/job_stats.hpp"

namespace {

// What libvirt 9's QEMU driver answers for a memory-only dump in progress (virsh domjobinfo's keys).
virt::JobStats dump_in_progress()
{
    return {2,
            {{"operation", std::int64_t{8}},
             {"time_elapsed", std::uint64_t{12345}},
             {"data_total", std::uint64_t{1073741824}},
             {"data_processed", std::uint64_t{268435456}},
             {"data_remaining", std::uint64_t{805306368}}}};
}

collect::DomainSample running(int state, int reason)
{
    collect::DomainSample s;
    s.id = 7;
    s.state.state = state;
    s.state.reason = reason;
    return s;
}

}  // namespace

TEST_CASE("a dump in progress becomes a job sample with libvirt's values and units")
{
    const auto job = collect::parse_job_stats(dump_in_progress());
    REQUIRE(job);
    CHECK(job->type == 2);
    CHECK(job->operation == 8);
    CHECK(job->time_elapsed == 12345u);
    CHECK(job->data_total == 1073741824u);
    CHECK(job->data_processed == 268435456u);
    CHECK(job->data_remaining == 805306368u);
    CHECK_FALSE(job->memory_total);
    CHECK_FALSE(job->disk_total);
}

TEST_CASE("a migration's memory, disk and bandwidth keys all land in their fields")
{
    using M = collect::OptU64 collect::JobSample::*;
    const std::vector<std::pair<const char*, M>> keys{
        {"memory_total", &collect::JobSample::memory_total},
        {"memory_processed", &collect::JobSample::memory_processed},
        {"memory_remaining", &collect::JobSample::memory_remaining},
        {"memory_bps", &collect::JobSample::memory_bps},
        {"memory_dirty_rate", &collect::JobSample::memory_dirty_rate},
        {"memory_page_size", &collect::JobSample::memory_page_size},
        {"memory_iteration", &collect::JobSample::memory_iteration},
        {"disk_total", &collect::JobSample::disk_total},
        {"disk_processed", &collect::JobSample::disk_processed},
        {"disk_remaining", &collect::JobSample::disk_remaining},
        {"disk_bps", &collect::JobSample::disk_bps},
        {"downtime", &collect::JobSample::downtime},
        {"time_remaining", &collect::JobSample::time_remaining},
    };
    virt::JobStats stats{1, {}};
    for (std::size_t i = 0; i < keys.size(); ++i) stats.params.push_back({keys[i].first, std::uint64_t{100 + i}});
    const auto job = collect::parse_job_stats(stats);
    REQUIRE(job);
    CHECK(job->type == 1);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        INFO(keys[i].first);
        CHECK((*job).*(keys[i].second) == 100 + i);
    }
}

TEST_CASE("no job, or a type that is not a running job's, gives no job sample")
{
    CHECK_FALSE(collect::parse_job_stats({0, {}}));
    auto stats = dump_in_progress();
    for (int type : {0, 3, 4, 5, -1, 99}) {
        stats.type = type;
        CHECK_FALSE(collect::parse_job_stats(stats));
    }
}

TEST_CASE("unknown keys, wrong types and negative values are left out; huge values are kept whole")
{
    const virt::JobStats stats{2,
                               {{"compression_cache", std::uint64_t{1}},
                                {"errmsg", std::string("boom")},
                                {"data_total", std::string("12")},
                                {"data_processed", -5.0},
                                {"data_remaining", std::int64_t{-1}},
                                {"memory_total", true},
                                {"time_elapsed", std::numeric_limits<std::uint64_t>::max()},
                                {"memory_processed", std::int64_t{42}},
                                {"operation", std::uint64_t{8}},
                                {"", std::uint64_t{3}}}};
    const auto job = collect::parse_job_stats(stats);
    REQUIRE(job);
    CHECK_FALSE(job->data_total);
    CHECK_FALSE(job->data_processed);
    CHECK_FALSE(job->data_remaining);
    CHECK_FALSE(job->memory_total);
    CHECK_FALSE(job->operation);  // libvirt sends operation as INT
    CHECK(job->time_elapsed == std::numeric_limits<std::uint64_t>::max());
    CHECK(job->memory_processed == 42u);
}

TEST_CASE("a key sent twice keeps its first value, and an absurd operation code is dropped")
{
    const virt::JobStats stats{2,
                               {{"data_processed", std::uint64_t{1}},
                                {"data_processed", std::uint64_t{2}},
                                {"operation", std::int64_t{1 << 30}}}};
    const auto job = collect::parse_job_stats(stats);
    REQUIRE(job);
    CHECK(job->data_processed == 1u);
    CHECK_FALSE(job->operation);
}

TEST_CASE("a domain paused for a migration, save, dump, snapshot or post-copy may have a job")
{
    for (int reason : {2, 3, 4, 9, 12}) CHECK(collect::job_may_run(running(3, reason), false, false));
    CHECK(collect::job_may_run(running(1, 10), false, false));  // running in post-copy
}

TEST_CASE("a guest running or paused by its user costs no job call unless NOWAIT skipped it or it had a job")
{
    CHECK_FALSE(collect::job_may_run(running(1, 1), false, false));
    CHECK_FALSE(collect::job_may_run(running(3, 1), false, false));  // paused by the user
    CHECK_FALSE(collect::job_may_run(running(3, 5), false, false));  // paused on an I/O error
    CHECK(collect::job_may_run(running(1, 1), true, false));
    CHECK(collect::job_may_run(running(1, 1), false, true));
    collect::DomainSample unknown;
    unknown.id = 3;
    CHECK_FALSE(collect::job_may_run(unknown, false, false));
}

TEST_CASE("an inactive domain never costs a job call")
{
    auto off = running(3, 4);
    off.id = -1;
    CHECK_FALSE(collect::job_may_run(off, true, true));
}
