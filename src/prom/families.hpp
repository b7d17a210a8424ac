// Every metric group of /metrics, one file each (prom/*_families.cpp), and the inputs they write from;
// prom/exposition.hpp writes them all for one scrape.
// A new group is one new file and one line in the group lists below.
//
// Pure functions of their inputs: called on an HTTP thread at scrape time, they read an immutable
// Snapshot and plain counters and write fresh text. Throw only std::bad_alloc.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collect/device_cache.hpp"
#include "collect/domain_sample.hpp"
#include "collect/guest_agent_sample.hpp"
#include "collect/pool_sample.hpp"
#include "prom/domain_labels.hpp"
#include "prom/text_writer.hpp"
#include "util/internal_errors.hpp"
#include "util/process_stats.hpp"

namespace prometheus {
class Registry;
}

namespace prom {

// The InfluxDB push loop's counters, as the push library reports them (copied, so prom does not depend
// on influx).
// One write URL of push.urls (push.url alone: one entry).
struct PushUrlStatus {
    std::string url;  // credentials masked
    bool current = false;
    bool up = true;
    std::uint64_t writes = 0;
    std::uint64_t failures = 0;
    std::string last_error;  // for /api/status; not a metric
};

struct PushStatus {
    bool running = false;
    std::uint64_t queued_lines = 0;
    std::uint64_t spooled_lines = 0;
    std::uint64_t spool_bytes = 0;
    std::uint64_t lines_written = 0;
    std::uint64_t lines_dropped = 0;
    std::uint64_t lines_rejected = 0;
    std::uint64_t retries = 0;
    double last_success_unix = 0;
    std::string last_error;  // for /api/status; not a metric
    std::vector<PushUrlStatus> urls;
};

// What the exporter knows about itself at scrape time.
struct ExporterStatus {
    bool fresh = true;                // the snapshot is the one this scrape asked for
    std::uint64_t collections = 0;    // collections finished since start
    double snapshot_age_seconds = 0;  // now − snapshot.taken_at
    collect::DeviceCacheStats cache;
    std::string version;
    std::optional<PushStatus> push;             // empty when no push is configured
    std::optional<util::ProcessStats> process;  // empty where /proc cannot be read
    // util::internal_errors() of each role, in util::thread_roles' order.
    std::array<std::uint64_t, util::thread_roles.size()> internal_errors{};
    // The exporter's own instrumentation (instr/instruments.hpp), serialized at the end of the
    // exposition; null: none (tests, the bench). Borrowed: owned by app/, it outlives every scrape.
    const prometheus::Registry* instrumentation = nullptr;
};

struct Scrape {
    std::shared_ptr<const collect::Snapshot> snapshot;  // null before the first collection
    ExporterStatus status;
    collect::PoolSnapshot pools;         // enabled false: libvirt.storage_pools is off (or a test without pools)
    collect::GuestAgentSnapshot guests;  // enabled false: libvirt.guest_agent.enabled is off
};

// Each writes its families in a fixed order; `labels` holds the escaped label sets of the snapshot's
// domains (empty without a snapshot).
void write_domain_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_cpu_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_memory_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_interface_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_block_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_placement_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_extra_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_job_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_exporter_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_pool_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_guest_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_push_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
void write_process_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);
// The exporter's own instrumentation (prometheus-cpp's Registry), written after every group below.
void write_instrumentation_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out);

using GroupWriter = void (*)(const Scrape&, const DomainLabels&, TextWriter&);
// In exposition order: the exporter's health first, then what the snapshot holds, the storage pools, then
// the push loop and the process.
inline constexpr GroupWriter groups[] = {
    write_exporter_families,  write_domain_families, write_cpu_families,       write_memory_families,
    write_interface_families, write_block_families,  write_placement_families, write_extra_families,
    write_guest_families,     write_pool_families,   write_job_families,       write_push_families,
    write_process_families,
};

}  // namespace prom
