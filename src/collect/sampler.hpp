// One collection pass: the bulk stats call (or the split one, see virt::ConnectionOptions::parallel),
// the per-domain fill-in where needed, device attributes from the device cache, the calls of the pseudo
// groups vcpu_placement and block_iotune when configured (placement_calls.hpp), into an immutable
// Snapshot.
//
// Ownership: borrows the DomainSource, DeviceCache and Clock, which must outlive it.
// Thread-safety: collect() may run on several threads at once (the snapshot store's workers, when one
// collection hangs); FillIn, LogOnce and the device cache it uses are safe for that. With parallel > 1
// a collection starts parallel-1 threads of its own, which end (joined) before collect() returns and
// catch everything.
// Throws: nothing. Every failure becomes part of the Snapshot (libvirt_up, group status, error).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "collect/device_cache.hpp"
#include "collect/domain_filter.hpp"
#include "collect/domain_sample.hpp"
#include "collect/fill_in.hpp"
#include "collect/job_calls.hpp"
#include "collect/placement_calls.hpp"
#include "collect/vmid.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"
#include "virt/domain_source.hpp"

namespace instr {
class Instruments;
}

namespace collect {

struct SamplerOptions {
    unsigned groups = virt::default_stats_groups;
    // Per-domain fill-in stops once a collection has run this long; the snapshot is then marked
    // incomplete. (The bulk call itself is bounded only by NOWAIT: libvirt cannot cancel a call, and
    // keepalive drops a silent connection, not the calls waiting on it.)
    std::chrono::milliseconds budget{10000};
    // libvirt.parallel: the per-domain work (fill-in calls, device cache) of a collection runs on this
    // many threads, each on a contiguous share of the records; 1 runs it on the collecting thread.
    unsigned parallel = 1;
    VmidRule vmid;
    DomainFilter filter;  // libvirt.domains, libvirt.inactive; the default keeps every domain (one bulk call)
    // Where collection and group durations and domain XML fetch times are recorded (histograms of
    // instr/instruments.hpp); null: not recorded. Borrowed: it must outlive the Sampler.
    instr::Instruments* instruments = nullptr;
};

// The longest a collection waits for one domain's virDomainGetJobStats: the call answers in milliseconds
// unless QEMU or the domain's job lock holds it, and then waiting longer only delays the other domains.
inline constexpr std::chrono::milliseconds job_call_wait{2000};

class Sampler {
public:
    Sampler(virt::DomainSource& source, DeviceCache& cache, const util::Clock& clock, SamplerOptions options);

    Snapshot collect() noexcept;

private:
    void collect_into(Snapshot& snap);
    void record(const Snapshot& snap) const noexcept;
    // source_.domain_xml(ref), timed into the instruments.
    std::string fetch_xml(const virt::DomainRef& ref);
    // Samples records [begin, end) into `into` (its domains, group status, skipped count). noexcept:
    // it may run on a thread of its own.
    void sample_share(std::vector<virt::DomainStatsRecord>& records, std::size_t begin, std::size_t end, Snapshot& into,
                      std::chrono::steady_clock::time_point deadline) noexcept;
    DomainSample sample_domain(virt::DomainStatsRecord& record, Snapshot& snap,
                               std::chrono::steady_clock::time_point deadline);
    // Asks for the domain's job when job_may_run says it may have one (collect/job_stats.hpp), waiting at
    // most job_call_wait and never past `deadline`; sets sample.job, and sample.timed_out when the call
    // found the domain busy or was not made for want of time.
    void sample_job(DomainSample& sample, const virt::DomainRef& ref, bool monitor_skipped,
                    std::chrono::steady_clock::time_point deadline);

    virt::DomainSource& source_;
    DeviceCache& cache_;
    const util::Clock& clock_;
    SamplerOptions options_;
    FillIn fill_in_;
    JobCalls jobs_;
    PlacementCalls placement_;
    util::LogOnce log_once_;
};

// Points each NIC/disk sample at its attributes in `sample.devices` (matched by target name).
void link_device_info(DomainSample& sample);

}  // namespace collect
