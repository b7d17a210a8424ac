// The /metrics exposition: at scrape time it takes a snapshot from the store (single flight, bounded by
// scrape_timeout) and writes fresh text from it and the exporter's own counters.
//
// Ownership: borrows the store, cache and clock, which outlive it. Thread-safety: render() may run on
// several HTTP threads at once (the store shares one collection between them; each scrape writes its
// own text). Throws std::bad_alloc, and std::runtime_error from render_gzip if zlib fails.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "collect/device_cache.hpp"
#include "collect/snapshot_store.hpp"
#include "prom/families.hpp"
#include "util/clock.hpp"

namespace prom {

class SnapshotCollectable {
public:
    SnapshotCollectable(collect::SnapshotStore& store, const collect::DeviceCache& cache, const util::Clock& clock,
                        std::chrono::milliseconds scrape_timeout);

    // Where the push loop's counters come from; unset when no push is configured.
    void set_push_status(std::function<PushStatus()> source) { push_status_ = std::move(source); }

    // The text exposition of one scrape: render_text(scrape()).
    std::string render() const;
    // The same, gzip-compressed as it is written (render_gzip(scrape())): for clients that accept gzip,
    // as Prometheus does, the uncompressed text never exists whole.
    std::string render_gzip(int level = 1) const;
    // The inputs render() writes from (exposed for tests and the landing page).
    Scrape scrape() const;

private:
    collect::SnapshotStore& store_;
    const collect::DeviceCache& cache_;
    const util::Clock& clock_;
    std::chrono::milliseconds timeout_;
    std::function<PushStatus()> push_status_;
};

}  // namespace prom
