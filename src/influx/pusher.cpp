#include "influx/pusher.hpp"

#include <random>

#include "util/backoff.hpp"
#include "util/internal_errors.hpp"

namespace influx {

namespace {

std::string join_lines(const std::vector<std::string>& lines)
{
    std::size_t size = 0;
    for (const auto& l : lines) size += l.size() + 1;
    std::string body;
    body.reserve(size);
    for (const auto& l : lines) {
        body += l;
        body += '\n';
    }
    return body;
}

// The daemon's jitter: a generator owned by the Pusher's function object, used by its sender thread only
// (a thread_local one would take its 5 KB of state in every thread's TLS block: 8 MiB over 2048 HTTP workers).
Pusher::Jitter random_jitter()
{
    return [rng = std::mt19937{std::random_device{}()}]() mutable {
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    };
}

}  // namespace

// What deliver() could not get through: the lines still to send and why.
struct Pusher::Delivery {
    WriteResult last;
    std::vector<std::string> undelivered;
};

Pusher::Pusher(const config::PushConfig& config, collect::SnapshotStore& store, Producer producer, WriteFn write,
               std::chrono::milliseconds collect_timeout, const util::Clock& clock, Jitter jitter)
    : config_(config),
      store_(store),
      producer_(std::move(producer)),
      write_(std::move(write)),
      collect_timeout_(collect_timeout),
      clock_(clock),
      jitter_(jitter ? std::move(jitter) : random_jitter()),
      spool_(config.spool_dir, config.spool_max_bytes),
      buffer_(config.buffer_max_lines)
{
}

Pusher::~Pusher()
{
    stop();
}

void Pusher::start()
{
    std::lock_guard lock(mu_);
    if (started_) return;
    started_ = true;
    stats_.running = !paused_;
    collector_ = std::thread([this] { collect_loop(); });
    sender_ = std::thread([this] { send_loop(); });
}

void Pusher::pause() noexcept
{
    std::lock_guard lock(mu_);
    paused_ = true;
    stats_.running = false;
}

void Pusher::resume() noexcept
{
    {
        std::lock_guard lock(mu_);
        paused_ = false;
        stats_.running = started_ && !collector_stopping_;
    }
    wake_collector_.notify_all();
    wake_sender_.notify_all();
}

PushStats Pusher::stats() const
{
    std::lock_guard lock(mu_);
    PushStats s = stats_;
    s.queued_lines = buffer_.size() + in_flight_.size();
    s.spooled_lines = spool_.lines();
    s.spool_bytes = spool_.bytes();
    if (url_stats_) s.urls = url_stats_();
    return s;
}

void Pusher::collect_loop() noexcept
{
    std::shared_ptr<const collect::Snapshot> previous;
    auto next = clock_.now();
    std::unique_lock lock(mu_);
    while (!collector_stopping_) {
        wait(wake_collector_, lock, next, [&] { return collector_stopping_; });
        if (collector_stopping_) break;
        next += config_.interval;
        if (clock_.now() > next) next = clock_.now() + config_.interval;
        if (paused_) continue;
        lock.unlock();
        try {
            const auto result = store_.get(collect_timeout_, config_.interval / 2);
            if (!result.fresh || !result.snapshot || !result.snapshot->libvirt_up ||
                (previous && result.snapshot->sequence == previous->sequence)) {
                // Nothing new to say: writing the last snapshot again would only repeat points.
                lock.lock();
                ++stats_.intervals_skipped;
                continue;
            }
            auto lines = producer_(*result.snapshot, previous.get());
            previous = result.snapshot;
            queue(std::move(lines));
        } catch (...) {
            util::count_internal_error(util::ThreadRole::push_collector, std::current_exception());
        }
        lock.lock();
    }
}

void Pusher::queue(std::vector<std::string> lines)
{
    std::vector<std::string> overflow;
    {
        std::lock_guard lock(mu_);
        overflow = buffer_.push(std::move(lines), clock_.now());
    }
    if (!overflow.empty()) spill(std::move(overflow), true);
    wake_sender_.notify_all();
}

void Pusher::spill(std::vector<std::string> lines, bool overflow)
{
    // In spool-sized pieces, so a replayed segment is never more than one batch.
    for (std::size_t i = 0; i < lines.size(); i += config_.batch_max_lines) {
        const auto end = std::min(lines.size(), i + config_.batch_max_lines);
        std::vector<std::string> part(std::make_move_iterator(lines.begin() + static_cast<std::ptrdiff_t>(i)),
                                      std::make_move_iterator(lines.begin() + static_cast<std::ptrdiff_t>(end)));
        if (spool_.store(part)) continue;
        std::lock_guard lock(mu_);
        stats_.lines_dropped += part.size();
        if (overflow)  // at shutdown the caller says what is lost
            log_once_.log(util::LogLevel::warn, "push", "drop",
                          spool_.enabled()
                              ? "spool full (push.spool_max_bytes) or its disk: dropping the oldest lines"
                              : "buffer full (push.buffer_max_lines) and no spool: dropping the oldest lines");
    }
}

Pusher::Delivery Pusher::deliver(std::vector<std::string> lines)
{
    WriteResult r;
    try {
        r = write_(join_lines(lines));
    } catch (...) {
        // Kept and retried like a network error: a bug in the write path must not lose the batch.
        util::count_internal_error(util::ThreadRole::push_sender, std::current_exception());
        r = transport_error("internal error in the write path");
    }
    if (r.outcome == Outcome::too_large && lines.size() > 1) {
        // 413: the server takes smaller bodies; each half on its own.
        std::vector<std::string> right(
            std::make_move_iterator(lines.begin() + static_cast<std::ptrdiff_t>(lines.size() / 2)),
            std::make_move_iterator(lines.end()));
        lines.resize(lines.size() / 2);
        Delivery left = deliver(std::move(lines));
        if (!left.undelivered.empty()) {
            left.undelivered.insert(left.undelivered.end(), std::make_move_iterator(right.begin()),
                                    std::make_move_iterator(right.end()));
            return left;
        }
        return deliver(std::move(right));
    }
    record(r, lines.size());
    if (retryable(r.outcome) && r.outcome != Outcome::too_large) return Delivery{r, std::move(lines)};
    return Delivery{r, {}};
}

void Pusher::record(const WriteResult& r, std::size_t lines)
{
    std::lock_guard lock(mu_);
    if (r.outcome == Outcome::ok) {
        stats_.lines_written += lines;
        stats_.last_success_unix = std::chrono::duration<double>(clock_.wall().time_since_epoch()).count();
        failures_ = 0;
        if (log_once_.clear("write")) util::log_info("push", "writes succeed again");
        return;
    }
    std::string what =
        std::string(outcome_name(r.outcome)) + (r.status ? " (HTTP " + std::to_string(r.status) + ")" : "");
    stats_.last_error = what + ": " + r.message;
    if (r.outcome == Outcome::rejected || r.outcome == Outcome::too_large) {
        const std::size_t rejected = r.outcome == Outcome::too_large ? lines : rejected_count(r, lines);
        stats_.lines_written += lines - rejected;
        stats_.lines_rejected += rejected;
        util::log_warn("push", "server rejected " + std::to_string(rejected) + " of " + std::to_string(lines) +
                                   " lines, not retrying: " + stats_.last_error);
        return;
    }
    const char* hint = r.outcome == Outcome::auth        ? "authentication failed; check push.token or the user"
                       : r.outcome == Outcome::not_found ? "unknown database or bucket"
                                                         : "will retry";
    log_once_.log(util::LogLevel::warn, "push", "write",
                  "write failed, " + std::string(hint) + ": " + stats_.last_error);
}

template <typename Done>
void Pusher::wait(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                  std::chrono::steady_clock::time_point deadline, Done done)
{
    while (!done() && clock_.now() < deadline) clock_.wait_until(cv, lock, deadline);
}

void Pusher::wait_backoff(std::unique_lock<std::mutex>& lock, const WriteResult& r)
{
    ++failures_;
    ++stats_.retries;
    const auto backoff =
        util::backoff_delay(failures_, config_.retry_backoff_min, config_.retry_backoff_max, jitter_());
    const auto delay = util::retry_wait(backoff, r.retry_after, config_.retry_backoff_max);
    wait(wake_sender_, lock, clock_.now() + delay, [&] { return stopping_; });
}

// Sends the oldest data there is: the spool first (it is older than anything in memory), then a batch
// being retried, then the buffer.
Pusher::SendResult Pusher::send_one(std::unique_lock<std::mutex>& lock, bool include_spool)
{
    std::optional<Spool::Segment> segment;
    std::vector<std::string> batch;
    if (include_spool && in_flight_.empty()) {
        lock.unlock();
        segment = spool_.oldest();
        lock.lock();
    }
    if (segment)
        batch = segment->lines;
    else if (!in_flight_.empty())
        batch = std::move(in_flight_);
    else if (!buffer_.empty() && (buffer_.size() >= config_.batch_max_lines || stopping_ ||
                                  clock_.now() - buffer_.oldest_at() >= config_.batch_max_sec))
        batch = buffer_.take(config_.batch_max_lines);
    else
        return SendResult::nothing;
    in_flight_.clear();

    lock.unlock();
    Delivery d = deliver(std::move(batch));
    if (segment) {
        if (d.undelivered.empty()) spool_.remove(segment->id);
    } else if (!d.undelivered.empty() && spool_.enabled() && spool_.store(d.undelivered)) {
        d.undelivered.clear();  // durable now; the spool replays it first
    }
    lock.lock();
    if (!d.undelivered.empty() && !segment) in_flight_ = std::move(d.undelivered);
    if (!retryable(d.last.outcome) || d.last.outcome == Outcome::too_large) return SendResult::delivered;
    wait_backoff(lock, d.last);
    return SendResult::failed;
}

void Pusher::send_loop() noexcept
{
    std::unique_lock lock(mu_);
    while (!stopping_) {
        try {
            if (!paused_ && send_one(lock, true) != SendResult::nothing) continue;
        } catch (...) {
            if (!lock.owns_lock()) lock.lock();
            util::count_internal_error(util::ThreadRole::push_sender, std::current_exception());
        }
        // Nothing due (or a step failed): wake for new lines, for the batch age, or to stop.
        wait(wake_sender_, lock,
             clock_.now() + std::min<std::chrono::milliseconds>(config_.batch_max_sec, std::chrono::milliseconds(200)),
             [&] { return stopping_; });
    }
    // Shutdown: until the deadline, deliver what is in memory first (it dies with the process), then,
    // while the server answers, the spool: a next start may never come (the host is being retired), and
    // a collection that overflowed the buffer has part of its interval there. Stop at the first failure
    // and keep the rest in the spool.
    try {
        const auto deadline = clock_.now() + config_.shutdown_timeout;
        SendResult last = SendResult::delivered;
        while (clock_.now() < deadline && (last = send_one(lock, false)) == SendResult::delivered) {
        }
        if (last == SendResult::nothing)
            while (clock_.now() < deadline && send_one(lock, true) == SendResult::delivered) {
            }
        if (!lock.owns_lock()) lock.lock();
        std::vector<std::string> rest = std::move(in_flight_);
        auto queued = buffer_.take(buffer_.size());
        rest.insert(rest.end(), std::make_move_iterator(queued.begin()), std::make_move_iterator(queued.end()));
        lock.unlock();
        if (!rest.empty()) {
            util::log_info("push", "shutting down with " + std::to_string(rest.size()) + " lines undelivered; " +
                                       (spool_.enabled() ? "spooling them" : "no spool, so they are lost"));
            spill(std::move(rest), false);
        }
    } catch (...) {
        util::count_internal_error(util::ThreadRole::push_sender, std::current_exception());
    }
}

void Pusher::stop() noexcept
{
    {
        std::lock_guard lock(mu_);
        if (!started_ || collector_stopping_) return;
        collector_stopping_ = true;
        stats_.running = false;
    }
    // The collector first: a collection under way still lands in the buffer. Were the sender told at the
    // same time, it could drain and leave before those lines arrive, and they would die with the buffer
    // (or, with an overflow, half an interval would reach the spool and half would not).
    wake_collector_.notify_all();
    if (collector_.joinable()) collector_.join();
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_sender_.notify_all();
    if (sender_.joinable()) sender_.join();
}

}  // namespace influx
