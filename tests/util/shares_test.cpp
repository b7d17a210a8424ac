#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "util/shares.hpp"

using Shares = std::vector<util::Share>;

TEST_CASE("split_evenly cuts n items into contiguous shares that differ by at most one")
{
    CHECK(util::split_evenly(10, 1) == Shares{{0, 10}});
    CHECK(util::split_evenly(10, 3) == Shares{{0, 4}, {4, 7}, {7, 10}});
    CHECK(util::split_evenly(8, 4) == Shares{{0, 2}, {2, 4}, {4, 6}, {6, 8}});
}

TEST_CASE("split_evenly makes no empty share: fewer shares than parts for few items, none for none")
{
    CHECK(util::split_evenly(2, 4) == Shares{{0, 1}, {1, 2}});
    CHECK(util::split_evenly(0, 4).empty());
}

TEST_CASE("run_shares runs every share once, the first on the calling thread and the others beside it")
{
    std::mutex mu;
    std::multiset<std::size_t> ran;
    std::set<std::thread::id> threads;
    const auto caller = std::this_thread::get_id();
    std::thread::id first;
    util::run_shares(4, [&](std::size_t s) {
        std::lock_guard lock(mu);
        ran.insert(s);
        threads.insert(std::this_thread::get_id());
        if (s == 0) first = std::this_thread::get_id();
    });
    CHECK(ran == std::multiset<std::size_t>{0, 1, 2, 3});
    CHECK(first == caller);
    CHECK(threads.size() == 4);
}

TEST_CASE("run_shares returns only when every share is done, and runs nothing for no shares")
{
    std::atomic<int> done{0};
    util::run_shares(3, [&](std::size_t s) {
        if (s != 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ++done;
    });
    CHECK(done == 3);
    util::run_shares(0, [&](std::size_t) { ++done; });
    CHECK(done == 3);
}

TEST_CASE("what the first share throws leaves run_shares after the other shares are done")
{
    std::atomic<bool> other_done{false};
    CHECK_THROWS_AS(util::run_shares(2,
                                     [&](std::size_t s) {
                                         if (s == 0) throw std::runtime_error("main connection lost");
                                         std::this_thread::sleep_for(std::chrono::milliseconds(50));
                                         other_done = true;
                                     }),
                    std::runtime_error);
    CHECK(other_done);
}
