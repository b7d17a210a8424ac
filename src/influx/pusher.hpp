// The InfluxDB push loop: every push.interval a collector thread turns the latest snapshot into lines
// (the four measurements) and queues them; a sender thread delivers batches of at most batch_max_lines,
// sent when full or batch_max_sec after the first line was queued. The sender owns retry and backoff
// (Retry-After for 429/503, capped exponential backoff with jitter otherwise), splits a batch the server
// calls too large, and moves what it cannot deliver to the durable spool, which it replays first.
//
// Time: every interval, batch age, backoff and deadline is read from the injected Clock (tests drive it
// by hand); only last_success_unix comes from its wall().
//
// Ownership: owns its two threads; borrows the store, the producer's captures and the clock.
// Thread-safety: start/stop/pause/resume/stats from any thread. Throws: start() throws
// std::system_error if a thread cannot be created; the loops never throw: what escapes a step is
// caught at the thread's boundary (util::count_internal_error), and the loop goes on.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "collect/snapshot_store.hpp"
#include "config/config.hpp"
#include "influx/failover.hpp"
#include "influx/line_buffer.hpp"
#include "influx/spool.hpp"
#include "influx/write_request.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"

namespace influx {

struct PushStats {
    bool running = false;          // the loop is started and not paused
    std::size_t queued_lines = 0;  // in memory, including a batch being retried
    std::size_t spooled_lines = 0;
    std::uint64_t spool_bytes = 0;
    std::uint64_t lines_written = 0;
    std::uint64_t lines_dropped = 0;   // no room in memory or spool
    std::uint64_t lines_rejected = 0;  // the server refused them (400/422, or a single line too large)
    std::uint64_t retries = 0;
    std::uint64_t intervals_skipped = 0;  // no fresh snapshot in time for an interval
    double last_success_unix = 0;
    std::string last_error;
    std::vector<UrlStats> urls;  // each write URL's state (push.urls), from set_url_stats's source
};

class Pusher {
public:
    // Turns a snapshot (and the previous one, for rates; null on the first push) into encoded lines.
    using Producer = std::function<std::vector<std::string>(const collect::Snapshot&, const collect::Snapshot*)>;
    // One POST of newline-separated lines (Writer::write in the daemon, a fake in tests).
    using WriteFn = std::function<WriteResult(std::string_view)>;

    // `jitter`: a number in [0, 1) for each backoff (random in the daemon; fixed in tests).
    using Jitter = std::function<double()>;

    Pusher(const config::PushConfig& config, collect::SnapshotStore& store, Producer producer, WriteFn write,
           std::chrono::milliseconds collect_timeout, const util::Clock& clock = util::SystemClock::instance(),
           Jitter jitter = {});
    ~Pusher();

    void start();
    // Stops collecting (a collection under way is finished and queued: its interval is not cut in two),
    // then tries to deliver what is queued, and while the server answers the spool too, until
    // push.shutdown_timeout, and spools the rest.
    void stop() noexcept;
    // Pause/resume collecting and sending (POST /api/push/stop|start); queued lines are kept.
    void pause() noexcept;
    void resume() noexcept;
    PushStats stats() const;
    // Where stats() gets PushStats::urls (the FailoverWriter's stats, any thread); before start().
    void set_url_stats(std::function<std::vector<UrlStats>()> source) { url_stats_ = std::move(source); }

private:
    struct Delivery;
    void collect_loop() noexcept;
    void send_loop() noexcept;
    void queue(std::vector<std::string> lines);
    Delivery deliver(std::vector<std::string> lines);
    enum class SendResult { nothing, delivered, failed };
    SendResult send_one(std::unique_lock<std::mutex>& lock, bool include_spool);
    void wait_backoff(std::unique_lock<std::mutex>& lock, const WriteResult& r);
    // Waits on `cv` until `done()` or the clock reaches `deadline`.
    template <typename Done>
    void wait(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
              std::chrono::steady_clock::time_point deadline, Done done);
    void record(const WriteResult& r, std::size_t lines);
    // To the spool, or dropped and counted; `overflow`: the buffer overflowed (logged), else shutdown.
    void spill(std::vector<std::string> lines, bool overflow);

    config::PushConfig config_;
    collect::SnapshotStore& store_;
    Producer producer_;
    WriteFn write_;
    std::function<std::vector<UrlStats>()> url_stats_;
    std::chrono::milliseconds collect_timeout_;
    const util::Clock& clock_;
    Jitter jitter_;
    Spool spool_;

    mutable std::mutex mu_;
    std::condition_variable wake_sender_;
    std::condition_variable wake_collector_;
    LineBuffer buffer_;
    std::vector<std::string> in_flight_;  // a batch being retried when there is no spool
    PushStats stats_;
    unsigned failures_ = 0;
    bool paused_ = false;
    bool collector_stopping_ = false;  // set first: the collector queues what it has and leaves
    bool stopping_ = false;            // set once the collector has left: the sender drains and leaves
    bool started_ = false;
    util::LogOnce log_once_;
    std::thread collector_;
    std::thread sender_;
};

}  // namespace influx
