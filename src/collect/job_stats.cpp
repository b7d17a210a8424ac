#include "collect/job_stats.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace collect {
namespace {

// libvirt's VIR_DOMAIN_JOB_* key strings (libvirt-domain.h), spelled out: collect does not include
// libvirt.
using Member = OptU64 JobSample::*;
constexpr std::array<std::pair<std::string_view, Member>, 17> job_keys{{
    {"time_elapsed", &JobSample::time_elapsed},
    {"time_remaining", &JobSample::time_remaining},
    {"downtime", &JobSample::downtime},
    {"data_total", &JobSample::data_total},
    {"data_processed", &JobSample::data_processed},
    {"data_remaining", &JobSample::data_remaining},
    {"memory_total", &JobSample::memory_total},
    {"memory_processed", &JobSample::memory_processed},
    {"memory_remaining", &JobSample::memory_remaining},
    {"memory_bps", &JobSample::memory_bps},
    {"memory_dirty_rate", &JobSample::memory_dirty_rate},
    {"memory_page_size", &JobSample::memory_page_size},
    {"memory_iteration", &JobSample::memory_iteration},
    {"disk_total", &JobSample::disk_total},
    {"disk_processed", &JobSample::disk_processed},
    {"disk_remaining", &JobSample::disk_remaining},
    {"disk_bps", &JobSample::disk_bps},
}};

constexpr int job_bounded = 1;    // VIR_DOMAIN_JOB_BOUNDED
constexpr int job_unbounded = 2;  // VIR_DOMAIN_JOB_UNBOUNDED

// virDomainState and the reasons that mean a job may hold the domain.
constexpr int state_running = 1;
constexpr int state_paused = 3;
constexpr int running_postcopy = 10;  // VIR_DOMAIN_RUNNING_POSTCOPY
constexpr std::array<int, 5> paused_for_job{
    2,   // VIR_DOMAIN_PAUSED_MIGRATION
    3,   // VIR_DOMAIN_PAUSED_SAVE
    4,   // VIR_DOMAIN_PAUSED_DUMP
    9,   // VIR_DOMAIN_PAUSED_SNAPSHOT
    12,  // VIR_DOMAIN_PAUSED_POSTCOPY
};

OptU64 unsigned_value(const virt::TypedValue& v) noexcept
{
    if (const auto* u = std::get_if<std::uint64_t>(&v)) return *u;
    if (const auto* i = std::get_if<std::int64_t>(&v); i && *i >= 0) return static_cast<std::uint64_t>(*i);
    return std::nullopt;
}

}  // namespace

std::optional<JobSample> parse_job_stats(const virt::JobStats& stats)
{
    if (stats.type != job_bounded && stats.type != job_unbounded) return std::nullopt;
    JobSample job;
    job.type = stats.type;
    for (const auto& p : stats.params) {
        if (p.field == "operation") {
            const auto* i = std::get_if<std::int64_t>(&p.value);
            if (i && *i >= 0 && *i <= 1000 && !job.operation) job.operation = static_cast<int>(*i);
            continue;
        }
        for (const auto& [key, member] : job_keys) {
            if (key != p.field) continue;
            if (!(job.*member)) job.*member = unsigned_value(p.value);
            break;
        }
    }
    return job;
}

bool job_may_run(const DomainSample& sample, bool monitor_skipped, bool had_job) noexcept
{
    if (sample.id < 0) return false;
    if (had_job || monitor_skipped) return true;
    if (!sample.state.state || !sample.state.reason) return false;
    const int reason = *sample.state.reason;
    if (*sample.state.state == state_running) return reason == running_postcopy;
    if (*sample.state.state != state_paused) return false;
    for (int r : paused_for_job)
        if (r == reason) return true;
    return false;
}

}  // namespace collect
