#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "support/eventually.hpp"
#include "support/manual_clock.hpp"
#include "util/round_thread.hpp"

using namespace std::chrono_literals;

TEST_CASE("each round starts the wait its predecessor returned after that one started")
{
    test_support::ManualClock clock;
    std::atomic<int> rounds{0};
    util::RoundThread thread(clock, [&] {
        ++rounds;
        return std::chrono::milliseconds(10s);
    });
    thread.start();
    CHECK(test_support::eventually([&] { return rounds.load() == 1; }));
    clock.advance(9s);
    std::this_thread::sleep_for(20ms);
    CHECK(rounds.load() == 1);
    clock.advance(1s);
    CHECK(test_support::eventually([&] { return rounds.load() == 2; }));
    thread.stop();
}

TEST_CASE("a round that overruns its wait is followed at once, and stop() waits for the round in progress")
{
    test_support::ManualClock clock;
    std::atomic<int> rounds{0};
    std::atomic<bool> hold{true};
    util::RoundThread thread(clock, [&] {
        if (++rounds == 1) clock.advance(5s);  // longer than its wait
        while (rounds == 2 && hold) std::this_thread::sleep_for(1ms);
        return std::chrono::milliseconds(1s);
    });
    thread.start();
    CHECK(test_support::eventually([&] { return rounds.load() == 2; }));
    std::thread stopper([&] { thread.stop(); });
    std::this_thread::sleep_for(20ms);
    CHECK(rounds.load() == 2);
    hold = false;
    stopper.join();
    CHECK(rounds.load() == 2);
}
