#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <sstream>
#include <limits>
#include <thread>

#include "influx/pusher.hpp"
#include "support/eventually.hpp"
#include "support/manual_clock.hpp"
#include "support/temp_dir.hpp"
#include "util/internal_errors.hpp"

using namespace std::chrono_literals;
using influx::Outcome;
using influx::WriteResult;
using test_support::eventually;

namespace {

WriteResult result(Outcome outcome, long status, std::string message)
{
    WriteResult r;
    r.outcome = outcome;
    r.status = status;
    r.message = std::move(message);
    return r;
}

// A server double: records every line it accepted, and answers what the test tells it to.
struct FakeServer {
    std::mutex mu;
    std::vector<std::string> accepted;
    std::function<WriteResult(const std::vector<std::string>&)> answer = [](const auto&) {
        return result(Outcome::ok, 204, "");
    };
    std::atomic<int> requests{0};

    WriteResult write(std::string_view body)
    {
        ++requests;
        std::vector<std::string> lines;
        std::istringstream in{std::string(body)};
        for (std::string l; std::getline(in, l);) lines.push_back(l);
        std::lock_guard lock(mu);
        const WriteResult r = answer(lines);
        if (r.outcome == Outcome::ok) accepted.insert(accepted.end(), lines.begin(), lines.end());
        return r;
    }
    std::size_t count()
    {
        std::lock_guard lock(mu);
        return accepted.size();
    }
};

// Every collection is a new snapshot; each produces `lines_per_interval` lines tagged with its sequence.
struct Rig {
    test_support::ManualClock clock;
    std::atomic<std::uint64_t> seq{0};
    collect::SnapshotStore store{[] {
                                     collect::Snapshot s;
                                     s.libvirt_up = true;
                                     return s;
                                 },
                                 clock, 0ms};
    FakeServer server;
    config::PushConfig config;
    std::size_t lines_per_interval = 4;
    std::function<void()> while_producing;  // called inside each collection, before its lines exist

    Rig()
    {
        config.url = "http://fake";
        config.interval = 20ms;
        config.batch_max_lines = 8;
        config.batch_max_sec = 10ms;
        config.buffer_max_lines = 1000;
        config.retry_backoff_min = 5ms;
        config.retry_backoff_max = 20ms;
        config.shutdown_timeout = 2000ms;
    }

    // The pusher's clock: real time by default; a test that drives time itself sets `manual`.
    test_support::ManualClock* manual = nullptr;

    std::unique_ptr<influx::Pusher> pusher()
    {
        auto produce = [this](const collect::Snapshot& s, const collect::Snapshot*) {
            if (while_producing) while_producing();
            std::vector<std::string> lines;
            for (std::size_t i = 0; i < lines_per_interval; ++i)
                lines.push_back("m,seq=" + std::to_string(s.sequence) + ",i=" + std::to_string(i) + " v=1i");
            return lines;
        };
        const util::Clock& pusher_clock =
            manual ? static_cast<const util::Clock&>(*manual) : util::SystemClock::instance();
        return std::make_unique<influx::Pusher>(
            config, store, produce, [this](std::string_view b) { return server.write(b); }, 1000ms, pusher_clock,
            [] { return 0.0; });
    }
};

WriteResult rejected(std::string message, unsigned long long lines)
{
    WriteResult r = result(Outcome::rejected, 400, std::move(message));
    r.rejected_lines = lines;
    return r;
}

bool no_duplicates(const std::vector<std::string>& lines)
{
    return std::set<std::string>(lines.begin(), lines.end()).size() == lines.size();
}

}  // namespace

TEST_CASE("every interval's lines reach the server in batches of at most batch_max_lines")
{
    Rig rig;
    std::atomic<std::size_t> largest{0};
    rig.server.answer = [&](const auto& lines) {
        largest = std::max(largest.load(), lines.size());
        return result(Outcome::ok, 204, "");
    };
    auto p = rig.pusher();
    p->start();
    CHECK(eventually([&] { return rig.server.count() >= 20; }));
    p->stop();
    CHECK(largest <= rig.config.batch_max_lines);
    CHECK(p->stats().lines_written == rig.server.count());
    CHECK(no_duplicates(rig.server.accepted));
}

TEST_CASE("an outage loses nothing that fits in memory, and retries are counted")
{
    Rig rig;
    std::atomic<bool> down{true};
    rig.server.answer = [&](const auto&) {
        return down ? result(Outcome::network_error, 0, "connection refused") : result(Outcome::ok, 204, "");
    };
    auto p = rig.pusher();
    p->start();
    CHECK(eventually([&] { return p->stats().retries > 0 && p->stats().queued_lines > 0; }));
    down = false;
    CHECK(eventually([&] { return p->stats().queued_lines == 0 && rig.server.count() > 0; }));
    p->stop();
    const auto s = p->stats();
    CHECK(s.lines_dropped == 0);
    CHECK(s.lines_written == rig.server.count());
    CHECK(no_duplicates(rig.server.accepted));
    CHECK(s.last_success_unix > 0);
}

TEST_CASE("a batch the server calls too large is split in halves until it fits")
{
    Rig rig;
    rig.server.answer = [](const auto& lines) {
        return lines.size() > 2 ? result(Outcome::too_large, 413, "too large") : result(Outcome::ok, 204, "");
    };
    auto p = rig.pusher();
    p->start();
    CHECK(eventually([&] { return rig.server.count() >= 16; }));
    p->stop();
    CHECK(p->stats().lines_rejected == 0);
    CHECK(p->stats().retries == 0);
    CHECK(no_duplicates(rig.server.accepted));
}

TEST_CASE("a partial write is not retried and the rejected lines are counted")
{
    Rig rig;
    rig.server.answer = [](const auto&) { return rejected("partial write: field type conflict dropped=1", 1); };
    auto p = rig.pusher();
    p->start();
    CHECK(eventually([&] { return p->stats().lines_rejected >= 3; }));
    p->stop();
    const auto s = p->stats();
    CHECK(s.retries == 0);
    CHECK(s.lines_written + s.lines_rejected > s.lines_rejected);  // the good lines of each batch count as written
    CHECK(s.last_error.find("dropped=1") != std::string::npos);
}

TEST_CASE("without a spool, lines beyond buffer_max_lines are dropped oldest first and counted")
{
    Rig rig;
    rig.config.buffer_max_lines = 8;
    rig.server.answer = [](const auto&) { return result(Outcome::server_error, 500, "down"); };
    auto p = rig.pusher();
    p->start();
    CHECK(eventually([&] { return p->stats().lines_dropped > 0; }));
    p->stop();
    CHECK(p->stats().queued_lines <= 8 + rig.config.batch_max_lines);
}

TEST_CASE("with a spool, an outage and a restart lose nothing and duplicate nothing")
{
    const test_support::TempDir temp;
    const std::string dir = temp.root().string();
    Rig rig;
    rig.config.spool_dir = dir;
    rig.config.buffer_max_lines = 8;  // far less than the outage produces
    std::atomic<bool> down{true};
    std::atomic<std::size_t> attempted{0};
    rig.server.answer = [&](const auto& lines) {
        attempted += lines.size();
        return down ? result(Outcome::network_error, 0, "refused") : result(Outcome::ok, 204, "");
    };
    std::size_t produced = 0;
    {
        auto p = rig.pusher();
        p->start();
        CHECK(eventually([&] { return p->stats().spooled_lines >= 40; }));
        p->stop();  // the "restart": whatever is in memory goes to the spool
        const auto s = p->stats();
        CHECK(s.lines_dropped == 0);
        CHECK(s.queued_lines == 0);
        produced = s.spooled_lines;
    }
    down = false;
    auto p = rig.pusher();
    p->start();
    CHECK(eventually([&] { return rig.server.count() >= produced && p->stats().spooled_lines == 0; }));
    p->stop();
    CHECK(no_duplicates(rig.server.accepted));
    // Replayed in order: the sequence numbers of the first `produced` lines never go down.
    std::uint64_t last = 0;
    bool ordered = true;
    for (std::size_t i = 0; i < produced; ++i) {
        const auto& l = rig.server.accepted[i];
        const std::uint64_t seq = std::stoull(l.substr(l.find("seq=") + 4));
        ordered &= seq >= last;
        last = seq;
    }
    CHECK(ordered);
}

TEST_CASE("stop delivers what is queued when the server answers")
{
    Rig rig;
    rig.config.interval = 10000ms;  // one interval only: the first collection is immediate
    rig.config.batch_max_sec = 10000ms;
    rig.config.batch_max_lines = 1000;  // never "full": only stop() makes the batch go
    auto p = rig.pusher();
    p->start();
    CHECK(eventually([&] { return p->stats().queued_lines == rig.lines_per_interval; }));
    p->stop();
    CHECK(rig.server.count() == rig.lines_per_interval);
}

TEST_CASE("stop delivers the spool too while the server answers, so nothing waits for a start that may not come")
{
    const test_support::TempDir temp;
    Rig rig;
    rig.config.spool_dir = temp.root().string();
    rig.config.buffer_max_lines = 8;
    std::atomic<bool> down{true};
    rig.server.answer = [&](const auto&) {
        return down ? result(Outcome::network_error, 0, "refused") : result(Outcome::ok, 204, "");
    };
    auto p = rig.pusher();
    p->start();
    CHECK(eventually([&] { return p->stats().spooled_lines >= 24; }));
    p->pause();  // from here only stop() sends: the running loop cannot replay the spool first
    down = false;
    const auto before = p->stats();
    p->stop();
    const auto after = p->stats();
    CHECK(after.spooled_lines == 0);
    CHECK(after.queued_lines == 0);
    CHECK(after.lines_dropped == 0);
    CHECK(rig.server.count() >= before.spooled_lines + before.queued_lines);
    CHECK(no_duplicates(rig.server.accepted));
}

TEST_CASE("a collection under way at stop is delivered whole, not left behind in memory")
{
    Rig rig;
    rig.config.interval = 10000ms;   // one interval only: the first collection is immediate
    rig.config.batch_max_lines = 2;  // the interval overflows a buffer of 3: part spilled, part queued
    rig.config.buffer_max_lines = 3;
    const test_support::TempDir temp;
    rig.config.spool_dir = temp.root().string();
    std::mutex mu;
    std::condition_variable cv;
    bool producing = false;
    bool release = false;
    rig.while_producing = [&] {
        std::unique_lock lock(mu);
        producing = true;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });
    };
    auto p = rig.pusher();
    p->start();
    {
        std::unique_lock lock(mu);
        REQUIRE(cv.wait_for(lock, 5s, [&] { return producing; }));
    }
    std::thread stopper([&] { p->stop(); });
    std::this_thread::sleep_for(50ms);  // time enough for a sender told to stop to drain and leave
    {
        std::lock_guard lock(mu);
        release = true;
    }
    cv.notify_all();
    stopper.join();
    const auto s = p->stats();
    CHECK(rig.server.count() + s.spooled_lines == rig.lines_per_interval);
    CHECK(s.lines_dropped == 0);
    CHECK(s.queued_lines == 0);
}

TEST_CASE("a paused pusher neither collects nor sends until resumed")
{
    Rig rig;
    auto p = rig.pusher();
    p->pause();
    p->start();
    std::this_thread::sleep_for(100ms);
    CHECK(rig.server.requests == 0);
    CHECK_FALSE(p->stats().running);
    p->resume();
    CHECK(eventually([&] { return rig.server.count() > 0; }));
    p->stop();
}

namespace {

// A rig on a clock that only the test moves: the first batch goes out at once (batch_max_sec 0), and
// every wait after a failure lasts until the test advances the clock past it.
struct ManualRig : Rig {
    test_support::ManualClock pusher_clock;
    ManualRig()
    {
        manual = &pusher_clock;
        config.batch_max_sec = 0ms;
        config.interval = 3600s;  // one collection: the retries are all there is
        config.retry_backoff_min = 1000ms;
        config.retry_backoff_max = 4000ms;
    }
    // The sender is in its backoff after `n` failures: it counts the retry and fixes the wait's deadline
    // in one critical section, so from here an advance() of the clock is measured from that deadline.
    static bool waiting(influx::Pusher& p, std::uint64_t n)
    {
        return eventually([&] { return p.stats().retries == n; });
    }
    // No request beyond `n` while real time passes and this clock does not reach the next attempt.
    bool still(int n)
    {
        std::this_thread::sleep_for(30ms);
        return server.requests == n;
    }
};

WriteResult throttled(std::optional<std::chrono::seconds> retry_after)
{
    WriteResult r = result(Outcome::throttled, 429, "slow down");
    r.retry_after = retry_after;
    return r;
}

}  // namespace

TEST_CASE("a Retry-After of 0 waits the backoff: no tight loop")
{
    // 2efd456 replaced the backoff with Retry-After: 6,398 POSTs in 0.5 s against "Retry-After: 0".
    ManualRig rig;
    rig.server.answer = [](const auto&) { return throttled(0s); };
    auto p = rig.pusher();
    p->start();
    REQUIRE(ManualRig::waiting(*p, 1));
    CHECK(rig.still(1));
    rig.pusher_clock.advance(999ms);
    CHECK(rig.still(1));
    rig.pusher_clock.advance(2ms);
    CHECK(eventually([&] { return rig.server.requests == 2; }));
    p->stop();
}

TEST_CASE("a Retry-After longer than the backoff is waited, and one beyond retry_backoff_max is capped")
{
    ManualRig rig;
    std::atomic<int> answers{0};
    rig.server.answer = [&](const auto&) { return ++answers == 1 ? throttled(3s) : throttled(3600s); };
    auto p = rig.pusher();
    p->start();
    REQUIRE(ManualRig::waiting(*p, 1));
    rig.pusher_clock.advance(2900ms);  // past the backoff (1 s), short of Retry-After
    CHECK(rig.still(1));
    rig.pusher_clock.advance(200ms);
    REQUIRE(ManualRig::waiting(*p, 2));
    rig.pusher_clock.advance(3900ms);  // an hour asked for; retry_backoff_max (4 s) is what we wait
    CHECK(rig.still(2));
    rig.pusher_clock.advance(200ms);
    CHECK(eventually([&] { return rig.server.requests == 3; }));
    p->stop();
}

TEST_CASE("a rejected count beyond the batch counts the batch, never more")
{
    Rig rig;
    rig.server.answer = [](const auto&) {
        return rejected("partial write", std::numeric_limits<unsigned long long>::max());
    };
    auto p = rig.pusher();
    p->start();
    REQUIRE(eventually([&] { return rig.server.requests >= 2; }));
    p->stop();
    const auto s = p->stats();
    CHECK(s.lines_rejected <= static_cast<std::uint64_t>(rig.server.requests) * rig.config.batch_max_lines);
    CHECK(s.lines_rejected > 0);
    CHECK(s.lines_written == 0);
}

TEST_CASE("an exception in the write path is counted at the thread's boundary and the batch is kept")
{
    Rig rig;
    std::atomic<int> calls{0};
    auto p = std::make_unique<influx::Pusher>(
        rig.config, rig.store,
        [&](const collect::Snapshot& s, const collect::Snapshot*) {
            return std::vector<std::string>{"m,seq=" + std::to_string(s.sequence) + " v=1i"};
        },
        [&](std::string_view body) {
            if (++calls <= 2) throw std::runtime_error("a bug in the write path");
            return rig.server.write(body);
        },
        1000ms);
    const auto before = util::internal_errors(util::ThreadRole::push_sender);
    p->start();
    CHECK(eventually([&] { return rig.server.count() >= 3; }));
    p->stop();
    CHECK(util::internal_errors(util::ThreadRole::push_sender) == before + 2);
    CHECK(no_duplicates(rig.server.accepted));
    // The two batches that met the exception were retried: the first sequence numbers are all there.
    std::set<std::string> seen(rig.server.accepted.begin(), rig.server.accepted.end());
    CHECK(seen.count("m,seq=1 v=1i") == 1);
}

TEST_CASE("an exception while building lines is counted and the next interval goes on")
{
    Rig rig;
    std::atomic<int> calls{0};
    auto p = std::make_unique<influx::Pusher>(
        rig.config, rig.store,
        [&](const collect::Snapshot& s, const collect::Snapshot*) {
            if (++calls == 1) throw std::logic_error("a bug in the producer");
            return std::vector<std::string>{"m,seq=" + std::to_string(s.sequence) + " v=1i"};
        },
        [&](std::string_view body) { return rig.server.write(body); }, 1000ms);
    const auto before = util::internal_errors(util::ThreadRole::push_collector);
    p->start();
    CHECK(eventually([&] { return rig.server.count() >= 2; }));
    p->stop();
    CHECK(util::internal_errors(util::ThreadRole::push_collector) == before + 1);
}
