#include <doctest/doctest.h>

#include "influx/line_buffer.hpp"

TEST_CASE("drops the oldest lines when the buffer is full, and hands them back in order")
{
    influx::LineBuffer b(3);
    const auto now = std::chrono::steady_clock::now();
    CHECK(b.push({"a", "b"}, now).empty());
    const auto over = b.push({"c", "d", "e"}, now);
    CHECK(over == std::vector<std::string>{"a", "b"});
    CHECK(b.size() == 3);
    CHECK(b.take(2) == std::vector<std::string>{"c", "d"});
    CHECK(b.take(5) == std::vector<std::string>{"e"});
    CHECK(b.empty());
}

TEST_CASE("the age of the buffer starts with the first line queued")
{
    influx::LineBuffer b(10);
    const auto t0 = std::chrono::steady_clock::time_point(std::chrono::seconds(100));
    b.push({"a"}, t0);
    b.push({"b"}, t0 + std::chrono::seconds(5));
    CHECK(b.oldest_at() == t0);
    b.take(10);
    b.push({"c"}, t0 + std::chrono::seconds(9));
    CHECK(b.oldest_at() == t0 + std::chrono::seconds(9));
}
