#include "collect/snapshot_store.hpp"

#include <algorithm>
#include <string>

#include "instr/instruments.hpp"
#include "util/internal_errors.hpp"
#include "util/log.hpp"

namespace collect {

SnapshotStore::SnapshotStore(Collect collect, const util::Clock& clock, std::chrono::milliseconds max_age,
                             unsigned max_in_flight, instr::Instruments* instruments)
    : collect_(std::move(collect)), clock_(clock), max_age_(max_age), instruments_(instruments)
{
    try {
        for (unsigned i = 0; i < std::max(1u, max_in_flight); ++i) workers_.emplace_back([this] { run(); });
    } catch (...) {
        stop();
        throw;
    }
}

SnapshotStore::~SnapshotStore()
{
    stop();
}

void SnapshotStore::stop()
{
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_worker_.notify_all();
    done_.notify_all();
    for (auto& w : workers_)
        if (w.joinable()) w.join();
}

SnapshotResult SnapshotStore::get(std::chrono::milliseconds timeout)
{
    return get(timeout, max_age_);
}

SnapshotResult SnapshotStore::get(std::chrono::milliseconds timeout, std::chrono::milliseconds max_age)
{
    std::unique_lock lock(mu_);
    if (latest_ && clock_.now() - latest_at_ < std::min(max_age, max_age_)) return {latest_, true};
    if (stopping_) return {latest_, false};
    // Join the newest collection in flight, or ask for the next one: either way one collection serves
    // all callers that arrive while it runs. One that already made a caller give up may be hung: then
    // ask for another while a worker is free.
    std::uint64_t wanted = started_ + 1;
    if (!requested_) {
        if (newest_running_ && (overran_ < started_ || in_flight_ >= workers_.size())) {
            wanted = started_;
        } else {
            requested_ = true;
            wake_worker_.notify_one();
        }
    }
    const bool finished =
        done_.wait_for(lock, timeout, [&] { return newest_ >= wanted || stopping_; }) && newest_ >= wanted;
    if (!finished) overran_ = std::max(overran_, wanted);
    return {latest_, finished};
}

std::shared_ptr<const Snapshot> SnapshotStore::latest() const
{
    std::lock_guard lock(mu_);
    return latest_;
}

std::uint64_t SnapshotStore::collections() const
{
    std::lock_guard lock(mu_);
    return finished_;
}

void SnapshotStore::run() noexcept
{
    std::unique_lock lock(mu_);
    while (true) {
        wake_worker_.wait(lock, [&] { return requested_ || stopping_; });
        if (stopping_) return;
        requested_ = false;
        const unsigned alongside = in_flight_++;
        newest_running_ = true;
        const std::uint64_t sequence = ++started_;
        lock.unlock();
        if (alongside > 0 && instruments_) instruments_->record_collection_beside_hung();
        if (alongside > 0)
            util::log_warn("collect", "collection " + std::to_string(sequence - 1) +
                                          " did not finish within a caller's timeout (a guest or libvirtd not "
                                          "answering?); collection " +
                                          std::to_string(sequence) + " runs alongside it");

        std::shared_ptr<Snapshot> snap;
        try {
            snap = std::make_shared<Snapshot>(collect_());
        } catch (...) {
            // The contract says collect_ does not throw; if it does, callers still get an answer.
            util::count_internal_error(util::ThreadRole::collection, std::current_exception());
            snap = std::make_shared<Snapshot>();
            snap->complete = false;
            snap->error = "collection failed unexpectedly";
        }
        snap->sequence = sequence;

        lock.lock();
        --in_flight_;
        ++finished_;
        if (sequence == started_) newest_running_ = false;
        if (sequence > newest_) {
            latest_ = std::move(snap);
            latest_at_ = clock_.now();
            newest_ = sequence;
        } else {
            util::log_info("collect", "collection " + std::to_string(sequence) + " finished late, after collection " +
                                          std::to_string(newest_) + "; its result is dropped");
        }
        done_.notify_all();
    }
}

}  // namespace collect
