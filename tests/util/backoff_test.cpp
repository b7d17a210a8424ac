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
