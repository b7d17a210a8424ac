#include "collect/snapshot_store.hpp"

#include <algorithm>

namespace collect {

SnapshotStore::SnapshotStore(Collect collect, const util::Clock& clock, std::chrono::milliseconds max_age)
    : collect_(std::move(collect)), clock_(clock), max_age_(max_age), worker_([this] { run(); })
{
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
    if (worker_.joinable()) worker_.join();
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
    // Join the collection in flight, or ask for the next one: either way one collection serves all
    // callers that arrive while it runs.
    const std::uint64_t wanted = in_flight_ ? started_ : started_ + 1;
    if (!in_flight_) {
        requested_ = true;
        wake_worker_.notify_one();
    }
    const bool finished =
        done_.wait_for(lock, timeout, [&] { return finished_ >= wanted || stopping_; }) && finished_ >= wanted;
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
        in_flight_ = true;
        const std::uint64_t sequence = ++started_;
        lock.unlock();

        std::shared_ptr<Snapshot> snap;
        try {
            snap = std::make_shared<Snapshot>(collect_());
        } catch (...) {
            // The contract says collect_ does not throw; if it does, callers still get an answer.
            snap = std::make_shared<Snapshot>();
            snap->complete = false;
            snap->error = "collection failed unexpectedly";
        }
        snap->sequence = sequence;

        lock.lock();
        latest_ = std::move(snap);
        latest_at_ = clock_.now();
        finished_ = sequence;
        in_flight_ = false;
        done_.notify_all();
    }
}

}  // namespace collect
