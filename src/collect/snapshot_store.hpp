// Single flight over collections: concurrent callers (scrapes, the push loop) that want a snapshot at
// the same time share one collection, and a snapshot younger than `max_age` is served as is.
// Collections run on the store's own worker thread, so a caller whose timeout runs out leaves with the
// previous snapshot while a slow collection finishes in the background: nothing hangs a scrape.
//
// Ownership: owns the worker thread; the Collect function and Clock must outlive the store.
// Thread-safety: get()/latest()/collections() may be called from any thread.
// Throws: the constructor may throw std::system_error (thread creation); nothing else throws.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "collect/domain_sample.hpp"
#include "util/clock.hpp"

namespace collect {

struct SnapshotResult {
    std::shared_ptr<const Snapshot> snapshot;  // null only if no collection ever finished
    bool fresh = false;  // false: the wanted collection did not finish in time; this is an older one
};

class SnapshotStore {
public:
    using Collect = std::function<Snapshot()>;  // must not throw (Sampler::collect is noexcept)

    SnapshotStore(Collect collect, const util::Clock& clock, std::chrono::milliseconds max_age);
    ~SnapshotStore();
    SnapshotStore(const SnapshotStore&) = delete;
    SnapshotStore& operator=(const SnapshotStore&) = delete;

    // A snapshot no older than max_age, collecting (or joining the collection in flight) if needed,
    // waiting at most `timeout` of real time.
    SnapshotResult get(std::chrono::milliseconds timeout);
    // The same with a tighter freshness bound for this caller (the push loop asks for one younger than
    // half its interval, so two intervals never share a collection).
    SnapshotResult get(std::chrono::milliseconds timeout, std::chrono::milliseconds max_age);
    // The last finished snapshot without triggering a collection (null if none yet).
    std::shared_ptr<const Snapshot> latest() const;
    // Collections finished so far.
    std::uint64_t collections() const;
    // Asks the worker to stop after the collection in flight; joins it. Idempotent.
    void stop();

private:
    void run() noexcept;

    Collect collect_;
    const util::Clock& clock_;
    const std::chrono::milliseconds max_age_;

    mutable std::mutex mu_;
    std::condition_variable wake_worker_;
    std::condition_variable done_;
    std::shared_ptr<const Snapshot> latest_;
    std::chrono::steady_clock::time_point latest_at_{};
    std::uint64_t started_ = 0;
    std::uint64_t finished_ = 0;
    bool requested_ = false;
    bool in_flight_ = false;
    bool stopping_ = false;
    std::thread worker_;  // last: started once everything above is initialised
};

}  // namespace collect
