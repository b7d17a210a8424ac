#include <doctest/doctest.h>

#include "util/backoff.hpp"

using namespace std::chrono_literals;

TEST_CASE("the backoff delay doubles from the minimum up to the maximum")
{
    CHECK(util::backoff_delay(1, 1000ms, 60000ms, 0.0) == 1000ms);
    CHECK(util::backoff_delay(2, 1000ms, 60000ms, 0.0) == 2000ms);
    CHECK(util::backoff_delay(3, 1000ms, 60000ms, 0.0) == 4000ms);
    CHECK(util::backoff_delay(7, 1000ms, 60000ms, 0.0) == 60000ms);
    CHECK(util::backoff_delay(1000, 1000ms, 60000ms, 0.0) == 60000ms);
    CHECK(util::backoff_delay(0, 1000ms, 60000ms, 0.0) == 1000ms);
    CHECK(util::backoff_delay(3, 5000ms, 1000ms, 0.0) == 5000ms);  // max below min: min wins
}

TEST_CASE("jitter shortens the backoff delay by at most a fifth")
{
    for (double r : {0.0, 0.25, 0.5, 0.999, 1.0, 7.0, -3.0}) {
        const auto d = util::backoff_delay(3, 1000ms, 60000ms, r);
        CHECK(d <= 4000ms);
        CHECK(d >= 3200ms);
    }
    CHECK(util::backoff_delay(3, 1000ms, 60000ms, 0.5) == 3600ms);
}

TEST_CASE("after a 429 or 503 the wait is the longer of the backoff and Retry-After, capped by the maximum")
{
    CHECK(util::retry_wait(1000ms, std::nullopt, 60000ms) == 1000ms);
    CHECK(util::retry_wait(1000ms, 0s, 60000ms) == 1000ms);  // "Retry-After: 0" is no tight loop
    CHECK(util::retry_wait(1000ms, -5s, 60000ms) == 1000ms);
    CHECK(util::retry_wait(1000ms, 7s, 60000ms) == 7000ms);
    CHECK(util::retry_wait(8000ms, 7s, 60000ms) == 8000ms);
    CHECK(util::retry_wait(1000ms, 3600s, 60000ms) == 60000ms);
    CHECK(util::retry_wait(1000ms, std::chrono::seconds::max(), 60000ms) == 60000ms);  // no overflow
    CHECK(util::retry_wait(5000ms, 3600s, 1000ms) == 5000ms);  // a maximum below the backoff: the backoff
}
