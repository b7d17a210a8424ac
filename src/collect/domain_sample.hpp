// The immutable values both sinks read: one DomainSample per domain, one Snapshot per collection.
// Every measured value is optional: a driver that does not report a field leaves it empty and the
// sinks omit it (a zero that was not measured is a lie on a graph). Units are libvirt's (KiB, ns);
// the sinks convert. Field names mirror libvirt's bulk-stats names so the mapping stays obvious.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collect/domain_devices.hpp"
#include "collect/iotune_limits.hpp"
#include "virt/domain_source.hpp"

namespace collect {

using OptU64 = std::optional<std::uint64_t>;
using OptI64 = std::optional<std::int64_t>;

struct StateStats {             // state.*
    std::optional<int> state;   // virDomainState
    std::optional<int> reason;  // per-state reason enum
};

struct CpuStats {   // cpu.*
    OptU64 time;    // ns
    OptU64 user;    // ns
    OptU64 system;  // ns
};

struct BalloonStats {  // balloon.* (KiB unless said)
    OptU64 current, maximum;
    OptU64 swap_in, swap_out;         // KiB, cumulative
    OptU64 major_fault, minor_fault;  // count, cumulative
    OptU64 unused, available, usable, rss, disk_caches;
    OptU64 hugetlb_pgalloc, hugetlb_pgfail;  // count, cumulative
    OptI64 last_update;                      // seconds since the epoch (guest time of the stats)
};

struct VcpuCounts {  // vcpu.current / vcpu.maximum
    OptU64 current, maximum;
};

struct VcpuSample {  // vcpu.N.*
    unsigned index = 0;
    std::optional<int> state;  // virVcpuState
    OptU64 time, wait, delay;  // ns
    // Stats group vcpu_placement (virDomainGetVcpus with cpumaps); empty without it.
    std::optional<int> host_cpu;  // the host CPU the vCPU runs or last ran on
    std::string affinity;         // the host CPUs it may run on, as a cpulist ("0-3,6")
};

struct NicSample {     // net.N.*
    std::string name;  // target device, made unique by the parser (never empty)
    OptU64 rx_bytes, rx_pkts, rx_errs, rx_drop;
    OptU64 tx_bytes, tx_pkts, tx_errs, tx_drop;
    const NicInfo* info = nullptr;  // attributes from the XML, owned by DomainSample::devices
};

struct DiskSample {    // block.N.*
    std::string name;  // target device, made unique by the parser (never empty)
    std::string path;  // block.N.path when reported
    OptU64 rd_reqs, rd_bytes, rd_times;
    OptU64 wr_reqs, wr_bytes, wr_times;
    OptU64 fl_reqs, fl_times;
    OptU64 errors;
    OptU64 allocation, capacity, physical;  // bytes
    IoTuneLimits iotune{};                  // stats group block_iotune: the limits that are set
    const DiskInfo* info = nullptr;         // attributes from the XML, owned by DomainSample::devices
};

// A numeric field of an optional group (perf.*, iothread.*, dirtyrate.*, vm.*, memory.*), kept by name.
struct ExtraField {
    std::string name;  // libvirt's full field name
    double value = 0;
};

// The current job of virDomainGetJobStats (libvirt's names; times in ms, sizes in bytes, as libvirt
// gives them). Present on a DomainSample only while a job runs.
struct JobSample {
    int type = 0;                  // virDomainJobType: 1 bounded, 2 unbounded
    std::optional<int> operation;  // operation (virDomainJobOperation: 2 save, 5 migration out, 8 dump, ...)
    OptU64 time_elapsed, time_remaining, downtime;      // ms
    OptU64 data_total, data_processed, data_remaining;  // bytes
    OptU64 memory_total, memory_processed, memory_remaining;
    OptU64 memory_bps;         // bytes/s
    OptU64 memory_dirty_rate;  // pages/s
    OptU64 memory_page_size;   // bytes
    OptU64 memory_iteration;
    OptU64 disk_total, disk_processed, disk_remaining;
    OptU64 disk_bps;  // bytes/s
};

struct DomainSample {
    std::string name;
    std::string uuid;
    int id = -1;       // -1: not running
    std::string vmid;  // see VmidRule; empty when neither the name nor a running id gives one
    StateStats state;
    CpuStats cpu;
    BalloonStats balloon;
    VcpuCounts vcpu;
    std::vector<VcpuSample> vcpus;
    std::vector<NicSample> nics;
    std::vector<DiskSample> disks;
    std::vector<ExtraField> extra;
    std::optional<JobSample> job;                  // the job running at collection time (collect/job_calls.hpp)
    std::shared_ptr<const DomainDevices> devices;  // null when the XML could not be had
    unsigned skipped_devices = 0;                  // devices dropped (no name, duplicate that could not be told apart)
    // The number of devices libvirt counted (net.count/block.count), which may exceed nics/disks:
    // a NIC of type user is counted but has no fields. Used to detect a stale device cache.
    std::optional<std::size_t> nic_count, disk_count;
    // This domain's values are not all fresh in this collection: libvirt skipped its monitor-bound stats
    // under NOWAIT (a job held the domain), a per-domain call found it busy, or the collection's budget
    // ran out before its per-domain calls (inovex's libvirt_domain_timed_out).
    bool timed_out = false;
};

// How one stats group fared in one collection.
struct GroupStatus {
    unsigned group = 0;  // virt::StatsGroup bit
    bool success = true;
    bool per_domain = false;  // filled in by per-domain calls (the bulk call did not return it)
    std::chrono::nanoseconds duration{0};
    std::string error;  // empty on success
};

struct Snapshot {
    std::chrono::system_clock::time_point taken_at;
    std::chrono::nanoseconds duration{0};
    std::uint64_t sequence = 0;  // increases with every collection
    bool libvirt_up = false;
    bool complete = true;  // false when the collection hit its deadline
    std::string error;     // why libvirt_up is false, or what cut the collection short
    std::vector<DomainSample> domains;
    std::vector<GroupStatus> groups;
    unsigned domains_skipped = 0;    // records that could not be parsed at all
    unsigned domains_filtered = 0;   // listed but left out by libvirt.domains / libvirt.inactive
    virt::LibvirtVersions versions;  // of the connection this collection ran on (empty without one)
};

}  // namespace collect
