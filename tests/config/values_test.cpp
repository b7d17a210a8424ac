#include "support/config_helpers.hpp"

#include "config/internal.hpp"

using namespace config::detail;

TEST_CASE("durations parse seconds, units and sums of units, and reject anything else")
{
    std::int64_t ms = 0;
    CHECK_FALSE(parse_duration_ms("5", ms));
    CHECK(ms == 5000);
    CHECK_FALSE(parse_duration_ms(" 1h2m3.5s ", ms));
    CHECK(ms == 3'723'500);
    CHECK_FALSE(parse_duration_ms("-250ms", ms));
    CHECK(ms == -250);
    CHECK_FALSE(parse_duration_ms(".5", ms));
    CHECK(ms == 500);
    for (const char* bad : {"", "s", "5 s", "5x", "1e3", "5s5", "--5", "1.2.3", "10us", "5d", "9999999999999"}) {
        CAPTURE(bad);
        CHECK(parse_duration_ms(bad, ms).has_value());
    }
}

TEST_CASE("whole numbers reject signs, fractions and values above their maximum")
{
    std::uint64_t v = 0;
    CHECK_FALSE(parse_unsigned("4294967295", 4294967295u, v));
    CHECK(v == 4294967295u);
    CHECK(parse_unsigned("4294967296", 4294967295u, v) == "must be at most 4294967295, got 4294967296");
    CHECK(parse_unsigned("-1", 10, v) == "must be >= 0, got -1");
    CHECK(parse_unsigned("1.5", 10, v) == "must be a whole number, got \"1.5\"");
    CHECK(parse_unsigned("", 10, v).has_value());
}

TEST_CASE("sizes reject unknown units, fractions of a byte and overflow")
{
    std::uint64_t v = 0;
    CHECK_FALSE(parse_bytes("2 TiB", v));
    CHECK(v == 2ull << 40);
    CHECK_FALSE(parse_bytes("1kb", v));
    CHECK(v == 1000);
    CHECK(parse_bytes("1.5B", v).has_value());
    CHECK(parse_bytes("1PB", v).has_value());
    CHECK(parse_bytes("-1", v).has_value());
    CHECK(parse_bytes("999999999999TiB", v).has_value());
}

TEST_CASE("seconds and sizes format back to the text they parse from")
{
    CHECK(format_seconds(5000) == "5");
    CHECK(format_seconds(2500) == "2.5");
    CHECK(format_seconds(1) == "0.001");
    CHECK(format_seconds(-5000) == "-5");
    CHECK(format_seconds(-500) == "-0.5");
    CHECK(format_bytes(1ull << 30) == "1GiB");
    CHECK(format_bytes(3ull << 20) == "3MiB");
    CHECK(format_bytes(1000) == "1000");
    CHECK(format_bytes(0) == "0");
}

TEST_CASE("quoted strings escape quotes, backslashes and control characters")
{
    CHECK(quote("a\"b\\c\nd\te\x01") == "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
    CHECK(quote("grüße") == "\"grüße\"");
}
