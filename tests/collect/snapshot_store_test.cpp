#include <doctest/doctest.h>

#include "collect/snapshot_store.hpp"
#include "support/manual_clock.hpp"

#include <atomic>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

TEST_CASE("concurrent callers share one collection")
{
    test_support::ManualClock clock;
    std::atomic<int> runs{0};
    collect::SnapshotStore store(
        [&] {
            ++runs;
            std::this_thread::sleep_for(200ms);  // long enough for every caller to arrive
            return collect::Snapshot{};
        },
        clock, 0ms);
    std::vector<std::thread> callers;
    std::atomic<int> fresh{0};
    for (int i = 0; i < 20; ++i)
        callers.emplace_back([&] {
            if (store.get(5s).fresh) ++fresh;
        });
    for (auto& t : callers) t.join();
    CHECK(fresh == 20);
    CHECK(runs <= 2);  // a caller that arrives after the first finished may start a second one
    CHECK(store.collections() == static_cast<std::uint64_t>(runs.load()));
}

TEST_CASE("a snapshot younger than max_age is served without collecting")
{
    test_support::ManualClock clock;
    int runs = 0;
    collect::SnapshotStore store([&] { return ++runs, collect::Snapshot{}; }, clock, 1000ms);
    const auto first = store.get(5s);
    CHECK(first.fresh);
    clock.advance(500ms);
    CHECK(store.get(5s).snapshot == first.snapshot);
    clock.advance(600ms);
    const auto second = store.get(5s);
    CHECK(second.snapshot != first.snapshot);
    CHECK(second.snapshot->sequence == first.snapshot->sequence + 1);
    CHECK(runs == 2);
}

TEST_CASE("a caller whose timeout runs out gets the previous snapshot marked not fresh")
{
    test_support::ManualClock clock;
    std::atomic<bool> slow{false};
    std::atomic<bool> release{false};
    collect::SnapshotStore store(
        [&] {
            while (slow && !release) std::this_thread::sleep_for(5ms);
            return collect::Snapshot{};
        },
        clock, 0ms);
    const auto first = store.get(5s);
    REQUIRE(first.fresh);
    slow = true;
    const auto late = store.get(100ms);
    CHECK_FALSE(late.fresh);
    CHECK(late.snapshot == first.snapshot);
    release = true;
    const auto next = store.get(5s);
    CHECK(next.fresh);
    CHECK(next.snapshot->sequence > first.snapshot->sequence);
}

TEST_CASE("before the first collection finishes a timed-out caller gets no snapshot")
{
    test_support::ManualClock clock;
    std::atomic<bool> release{false};
    collect::SnapshotStore store(
        [&] {
            while (!release) std::this_thread::sleep_for(5ms);
            return collect::Snapshot{};
        },
        clock, 0ms);
    const auto r = store.get(50ms);
    CHECK_FALSE(r.fresh);
    CHECK(r.snapshot == nullptr);
    release = true;
}

TEST_CASE("a caller can ask for a snapshot fresher than the store's max_age")
{
    test_support::ManualClock clock;
    int runs = 0;
    collect::SnapshotStore store([&] { return ++runs, collect::Snapshot{}; }, clock, 1000ms);
    const auto first = store.get(5s);
    clock.advance(600ms);
    CHECK(store.get(5s).snapshot == first.snapshot);         // within the store's 1 s
    CHECK(store.get(5s, 500ms).snapshot != first.snapshot);  // too old for this caller
    CHECK(runs == 2);
}

TEST_CASE("a collection that made a caller give up gets another one alongside, whose result is served")
{
    test_support::ManualClock clock;
    std::atomic<int> calls{0};
    std::atomic<bool> release{false};
    collect::SnapshotStore store(
        [&] {
            if (++calls == 2)  // the second collection hangs, like a bulk call waiting on a stuck guest
                while (!release) std::this_thread::sleep_for(5ms);
            return collect::Snapshot{};
        },
        clock, 0ms);
    REQUIRE(store.get(5s).fresh);
    CHECK_FALSE(store.get(50ms).fresh);
    const auto next = store.get(5s);
    CHECK(next.fresh);
    CHECK(next.snapshot->sequence == 3);
    release = true;
    while (store.collections() < 3) std::this_thread::sleep_for(5ms);
    CHECK(store.latest()->sequence == 3);  // the late collection 2 does not replace the newer one
}

TEST_CASE("no more than max_in_flight collections run when all of them hang")
{
    test_support::ManualClock clock;
    std::atomic<int> calls{0};
    std::atomic<bool> release{false};
    collect::SnapshotStore store(
        [&] {
            if (++calls > 1)
                while (!release) std::this_thread::sleep_for(5ms);
            return collect::Snapshot{};
        },
        clock, 0ms, 2);
    const auto first = store.get(5s);
    REQUIRE(first.fresh);
    for (int i = 0; i < 4; ++i) {
        const auto r = store.get(30ms);
        CHECK_FALSE(r.fresh);
        CHECK(r.snapshot == first.snapshot);
    }
    CHECK(calls == 3);  // the first, then two hung ones: one per worker
    release = true;
}
