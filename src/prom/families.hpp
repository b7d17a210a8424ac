// Every metric group of /metrics, one file each; build_families() runs them all over one scrape.
// A new group is one new file and one line in `groups` below.
//
// Pure functions of their inputs: called on an HTTP thread at scrape time, they read an immutable
// Snapshot and plain counters and build fresh MetricFamily values. Throw only std::bad_alloc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "collect/device_cache.hpp"
#include "collect/domain_sample.hpp"
#include "util/process_stats.hpp"

namespace prom {

using Families = std::vector<prometheus::MetricFamily>;

// The InfluxDB push loop's counters, as the push library reports them (copied, so prom does not depend
// on influx).
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
};

struct Scrape {
    std::shared_ptr<const collect::Snapshot> snapshot;  // null before the first collection
    ExporterStatus status;
};

void add_domain_families(const Scrape& scrape, Families& out);
void add_cpu_families(const Scrape& scrape, Families& out);
void add_memory_families(const Scrape& scrape, Families& out);
void add_interface_families(const Scrape& scrape, Families& out);
void add_block_families(const Scrape& scrape, Families& out);
void add_extra_families(const Scrape& scrape, Families& out);
void add_exporter_families(const Scrape& scrape, Families& out);
void add_push_families(const Scrape& scrape, Families& out);
void add_process_families(const Scrape& scrape, Families& out);

using GroupBuilder = void (*)(const Scrape&, Families&);
// In exposition order. The snapshot groups read only scrape.snapshot, so their text is the same for every
// scrape of one snapshot; the others also read scrape.status (staleness, push and process counters).
inline constexpr GroupBuilder status_head_groups[] = {add_exporter_families};
inline constexpr GroupBuilder snapshot_groups[] = {
    add_domain_families,    add_cpu_families,   add_memory_families,
    add_interface_families, add_block_families, add_extra_families,
};
inline constexpr GroupBuilder status_tail_groups[] = {add_push_families, add_process_families};

// Every group, or the families of the given groups only (empty families removed).
Families build_families(const Scrape& scrape);
Families build_families(const Scrape& scrape, std::span<const GroupBuilder> selected);

}  // namespace prom
