// The prometheus-cpp Collectable of /metrics: at scrape time it takes a snapshot from the store
// (single flight, bounded by scrape_timeout) and builds fresh families from it.
//
// Ownership: borrows the store, cache and clock, which outlive it. Thread-safety: Collect() may run on
// several HTTP threads at once (the store shares one collection between them). Throws only
// std::bad_alloc.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <prometheus/collectable.h>

#include "collect/device_cache.hpp"
#include "collect/snapshot_store.hpp"
#include "prom/families.hpp"
#include "util/clock.hpp"

namespace prom {

class SnapshotCollectable : public prometheus::Collectable {
public:
    SnapshotCollectable(collect::SnapshotStore& store, const collect::DeviceCache& cache, const util::Clock& clock,
                        std::chrono::milliseconds scrape_timeout);

    // Where the push loop's counters come from; unset when no push is configured.
    void set_push_status(std::function<PushStatus()> source) { push_status_ = std::move(source); }

    std::vector<prometheus::MetricFamily> Collect() const override;
    // The text exposition of one scrape, as Collect() + render_text would give it, but with the families
    // that depend only on the snapshot rendered once per snapshot: concurrent scrapes of a large host
    // (Prometheus replicas, people with curl) share that work instead of each redoing it.
    std::string render() const;
    // The inputs Collect() builds from (exposed for tests and the landing page).
    Scrape scrape() const;

private:
    collect::SnapshotStore& store_;
    const collect::DeviceCache& cache_;
    const util::Clock& clock_;
    std::chrono::milliseconds timeout_;
    std::function<PushStatus()> push_status_;

    mutable std::mutex render_mu_;  // held while rendering a new snapshot: waiters reuse the result
    mutable std::shared_ptr<const collect::Snapshot> rendered_for_;
    mutable std::shared_ptr<const std::string> rendered_;
};

// Prometheus text format 0.0.4.
std::string render_text(const Families& families);

}  // namespace prom
