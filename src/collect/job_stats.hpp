// virDomainGetJobStats' answer as a JobSample, and the rule for which domains are worth the call.
// Pure functions on data: safe from any thread; throw only std::bad_alloc.
#pragma once

#include <optional>

#include "collect/domain_sample.hpp"
#include "virt/domain_source.hpp"

namespace collect {

// The job of `stats`; nullopt when no job runs (type none) or the type is not one of a running job
// (bounded, unbounded). Each known key is taken when it carries an unsigned integer (ULLONG as libvirt
// sends it) or a non-negative signed one; a key of another type, a negative value or an unknown key is
// left out; values are kept whole (a huge one is a huge value, not an error). A key sent twice: the
// first wins.
std::optional<JobSample> parse_job_stats(const virt::JobStats& stats);

// Whether `sample` (parsed from this collection's bulk record) may have a job running, so that it costs
// a virDomainGetJobStats call: an active domain paused for a migration, save, dump, snapshot or
// post-copy, running in post-copy, or one whose monitor-bound statistics libvirt skipped under NOWAIT
// (`monitor_skipped`: a job held it), or one that had a job in the previous collection (`had_job`), to
// follow the job to its end. Misses a job that neither pauses the guest nor holds its monitor when the
// bulk call runs (a live backup, a live pre-copy migration between its monitor queries, a dump --live).
bool job_may_run(const DomainSample& sample, bool monitor_skipped, bool had_job) noexcept;

}  // namespace collect
