#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "influx/pusher.hpp"
#include "support/eventually.hpp"
#include "support/manual_clock.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using influx::Outcome;
using influx::WriteResult;
using test_support::eventually;

namespace {

// A server double: records every line it accepted, and answers what the test tells it to.
struct FakeServer {
    std::mutex mu;
    std::vector<std::string> accepted;
    std::function<WriteResult(const std::vector<std::string>&)> answer = [](const auto&) {
        return WriteResult{Outcome::ok, 204, "", std::nullopt};
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

    std::unique_ptr<influx::Pusher> pusher()
    {
        auto produce = [this](const collect::Snapshot& s, const collect::Snapshot*) {
            std::vector<std::string> lines;
            for (std::size_t i = 0; i < lines_per_interval; ++i)
                lines.push_back("m,seq=" + std::to_string(s.sequence) + ",i=" + std::to_string(i) + " v=1i");
            return lines;
        };
        return std::make_unique<influx::Pusher>(
            config, store, produce, [this](std::string_view b) { return server.write(b); }, 1000ms);
    }
};

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
        return WriteResult{Outcome::ok, 204, "", std::nullopt};
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
        return down ? WriteResult{Outcome::network_error, 0, "connection refused", std::nullopt}
                    : WriteResult{Outcome::ok, 204, "", std::nullopt};
    };
    auto p = rig.pusher();
    p->start();
    std::this_thread::sleep_for(150ms);
    CHECK(p->stats().retries > 0);
    CHECK(p->stats().queued_lines > 0);
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
        return lines.size() > 2 ? WriteResult{Outcome::too_large, 413, "too large", std::nullopt}
                                : WriteResult{Outcome::ok, 204, "", std::nullopt};
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
    rig.server.answer = [](const auto&) {
        return WriteResult{Outcome::rejected, 400, "partial write: field type conflict dropped=1", std::nullopt};
    };
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
    rig.server.answer = [](const auto&) { return WriteResult{Outcome::server_error, 500, "down", std::nullopt}; };
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
        return down ? WriteResult{Outcome::network_error, 0, "refused", std::nullopt}
                    : WriteResult{Outcome::ok, 204, "", std::nullopt};
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
