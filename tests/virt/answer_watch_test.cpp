// The exporter's keepalive arithmetic (virt/answer_watch.hpp), on explicit time points.
#include <doctest/doctest.h>

#include "support/manual_clock.hpp"
#include "virt/answer_watch.hpp"

using namespace std::chrono_literals;
using virt::detail::AnswerWatch;

namespace {
const AnswerWatch::TimePoint t0{std::chrono::hours(1)};
}

TEST_CASE("a call waits from its start until it returns, and with none in flight nothing waits")
{
    AnswerWatch w;
    CHECK(w.unanswered_for(t0) == 0s);
    w.started(t0);
    CHECK(w.unanswered_for(t0 + 7s) == 7s);
    w.finished(t0 + 8s);
    CHECK(w.unanswered_for(t0 + 60s) == 0s);
}

TEST_CASE("a call starting beside a waiting one does not restart the wait")
{
    AnswerWatch w;
    w.started(t0);
    w.started(t0 + 5s);
    CHECK(w.unanswered_for(t0 + 6s) == 6s);
}

TEST_CASE("an answer to any call restarts the wait of the calls still in flight")
{
    // One guest's hung monitor holds one call; the others answered show libvirtd alive.
    AnswerWatch w;
    w.started(t0);
    w.started(t0 + 1s);
    w.finished(t0 + 2s);
    CHECK(w.unanswered_for(t0 + 5s) == 3s);
}

TEST_CASE("a clock reading older than the wait's start counts as no wait")
{
    AnswerWatch w;
    w.started(t0 + 10s);
    CHECK(w.unanswered_for(t0) == 0s);
}

TEST_CASE("the call guard marks one call for its lifetime")
{
    test_support::ManualClock clock;
    const auto start = clock.now();
    AnswerWatch w;
    {
        const virt::detail::CallInFlight call(w, clock);
        clock.advance(3s);
        CHECK(w.unanswered_for(clock.now()) == 3s);
    }
    clock.advance(10s);
    CHECK(w.unanswered_for(clock.now()) == 0s);
    CHECK(clock.now() - start == 13s);
}
