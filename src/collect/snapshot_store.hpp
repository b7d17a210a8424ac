// Single flight over collections: concurrent callers (scrapes, the push loop) that want a snapshot at
// the same time share one collection, and a snapshot younger than `max_age` is served as is.
// Collections run on the store's own worker threads, so a caller whose timeout runs out leaves with the
// previous snapshot while a slow collection finishes in the background: nothing hangs a scrape.
//
// A collection can hang for as long as one guest's QEMU does not answer its monitor (libvirt waits
// without a timeout). Once a caller has given up on the collection in flight, the next caller starts
// another on a second worker: with NOWAIT, libvirt skips the stuck guest's job-bound stats (its job is
// held by the hung call) and the rest of the host keeps flowing. At most `max_in_flight` collections
// run at once, so a hung libvirtd costs a bounded number of threads; a late collection never replaces a
// newer snapshot.
//
// Ownership: owns the worker threads; the Collect function and Clock must outlive the store.
// Thread-safety: get()/latest()/collections() may be called from any thread. Collect is called from
// up to max_in_flight threads at once and must be safe for that.
// Throws: the constructor may throw std::system_error (thread creation); nothing else throws.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "collect/domain_sample.hpp"
#include "util/clock.hpp"

namespace instr {
class Instruments;
}

namespace collect {

struct SnapshotResult {
    std::shared_ptr<const Snapshot> snapshot;  // null only if no collection ever finished
    bool fresh = false;  // false: the wanted collection did not finish in time; this is an older one
};

class SnapshotStore {
public:
    using Collect = std::function<Snapshot()>;  // must not throw (Sampler::collect is noexcept)
    static constexpr unsigned default_max_in_flight = 2;

    // `instruments` (may be null; borrowed, it must outlive the store) counts the collections that start
    // beside one that overran a caller's timeout (virt_exporter_collections_beside_hung_total).
    SnapshotStore(Collect collect, const util::Clock& clock, std::chrono::milliseconds max_age,
                  unsigned max_in_flight = default_max_in_flight, instr::Instruments* instruments = nullptr);
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
    // Collections finished so far (including late ones that did not replace a newer snapshot).
    std::uint64_t collections() const;
    // Asks the workers to stop after the collections in flight; joins them. Idempotent.
    void stop();

private:
    void run() noexcept;

    Collect collect_;
    const util::Clock& clock_;
    const std::chrono::milliseconds max_age_;
    instr::Instruments* const instruments_;

    mutable std::mutex mu_;
    std::condition_variable wake_worker_;
    std::condition_variable done_;
    std::shared_ptr<const Snapshot> latest_;
    std::chrono::steady_clock::time_point latest_at_{};
    std::uint64_t started_ = 0;   // sequence of the newest collection started
    std::uint64_t newest_ = 0;    // sequence of latest_: callers waiting for N are served by any >= N
    std::uint64_t finished_ = 0;  // count of finished collections
    std::uint64_t overran_ = 0;   // newest sequence a caller gave up waiting for
    unsigned in_flight_ = 0;
    bool newest_running_ = false;  // the collection numbered started_ has not finished
    bool requested_ = false;
    bool stopping_ = false;
    std::vector<std::thread> workers_;  // last: started once everything above is initialised
};

}  // namespace collect
