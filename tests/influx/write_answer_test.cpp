#include <doctest/doctest.h>

#include <limits>

#include "influx/write_answer.hpp"

using influx::Outcome;
using namespace std::chrono_literals;

namespace {

// 2026-12-06 12:00:00 UTC: the "now" of every HTTP-date case.
const std::chrono::system_clock::time_point noon{std::chrono::seconds(1'796'558'400)};

influx::WriteResult classify(long status, std::string body = "", std::string retry_after = "")
{
    return influx::classify(influx::Answer{status, std::move(body), std::move(retry_after)}, noon);
}

}  // namespace

TEST_CASE("answers are classified as SPEC section 3 says")
{
    CHECK(classify(204).outcome == Outcome::ok);
    CHECK(classify(200, "whatever").outcome == Outcome::ok);
    const auto partial = classify(400, R"({"error":"partial write: field type conflict dropped=2"})");
    CHECK(partial.outcome == Outcome::rejected);
    CHECK(partial.message == "partial write: field type conflict dropped=2");
    CHECK(classify(422, "{}").outcome == Outcome::rejected);
    CHECK(classify(401, R"({"error":"authorization failed"})").outcome == Outcome::auth);
    CHECK(classify(403).outcome == Outcome::auth);
    CHECK(classify(404, R"({"error":"database not found: \"vms\""})").message == "database not found: \"vms\"");
    CHECK(classify(413).outcome == Outcome::too_large);
    const auto slow = classify(429, "", " 7");
    CHECK(slow.outcome == Outcome::throttled);
    CHECK(slow.retry_after == 7s);
    CHECK(classify(503).outcome == Outcome::throttled);
    CHECK_FALSE(classify(503, "", "soon").retry_after.has_value());
    CHECK(classify(500, "boom").outcome == Outcome::server_error);
    CHECK(classify(502).outcome == Outcome::server_error);
    CHECK_FALSE(influx::retryable(Outcome::ok));
    CHECK_FALSE(influx::retryable(Outcome::rejected));
    CHECK(influx::retryable(Outcome::auth));
    CHECK(influx::retryable(Outcome::network_error));
}

TEST_CASE("a 1xx as the final answer and a redirect are retried, never followed")
{
    for (long status : {100L, 102L, 301L, 302L, 307L, 308L}) {
        const auto r = classify(status, "<html>moved</html>");
        CHECK(r.outcome == Outcome::server_error);
        CHECK(influx::retryable(r.outcome));
    }
    CHECK(classify(301).message.find("not followed") != std::string::npos);
}

TEST_CASE("a status outside 100 to 999 is no HTTP answer")
{
    for (long status : {0L, 1L, 99L, 1000L, -200L, std::numeric_limits<long>::max()})
        CHECK(classify(status).outcome == Outcome::network_error);
}

TEST_CASE("a long, multi-line or binary error body becomes one bounded printable line")
{
    const auto r = classify(500, std::string(2000, 'x') + "\nmore");
    CHECK(r.message.size() <= 515);
    CHECK(r.message.find('\n') == std::string::npos);
    const std::string binary("\x00\x01\xff\xfe\x1b[31mred\r\n\xc3\xa9t\xc3\xa9", 19);
    const auto b = classify(500, binary);
    CHECK(b.message == "?????[31mred  \xc3\xa9t\xc3\xa9");
    CHECK(influx::printable_line("\xed\xa0\x80 \xe0\x80\xaf \xf4\x90\x80\x80 \xf0\x9f\x98\x80") ==
          "??? ??? ???? \xf0\x9f\x98\x80");  // surrogate, overlong, above U+10FFFF; an emoji passes
}

TEST_CASE("partial writes count the rejected lines as InfluxDB 1.x, 2.x and 3.x report them")
{
    SUBCASE("1.x text in the error member: dropped=N")
    {
        const auto r =
            classify(400, R"({"error":"partial write: unable to parse 'cpu v=': missing fields dropped=3"})");
        CHECK(r.rejected_lines == 3u);
        CHECK(influx::rejected_count(r, 10) == 3);
    }
    SUBCASE("2.x JSON with code and message, 422 beyond the retention policy")
    {
        const auto r = classify(422, R"({"code":"unprocessable entity","message":"failure writing points to database: )"
                                     R"(partial write: points beyond retention policy dropped=1"})");
        CHECK(r.outcome == Outcome::rejected);
        CHECK(r.message.starts_with("failure writing points"));
        CHECK(influx::rejected_count(r, 10) == 1);
    }
    SUBCASE("Cloud's (N written): the rest was rejected")
    {
        const auto r =
            classify(400, R"({"code":"invalid","message":"partial write error (7 written): unable to parse"})");
        CHECK(influx::rejected_count(r, 10) == 3);
        CHECK(influx::rejected_count(r, 5) == 0);
    }
    SUBCASE("3.x: one data entry per rejected line, and the first one's error in the message")
    {
        const auto r =
            classify(400, R"({"error":"partial write of line protocol occurred","data":[)"
                          R"({"original_line":"dskf","line_number":2,"error_message":"No fields were provided"},)"
                          R"({"original_line":"x y","line_number":5,"error_message":"bad"}]})");
        CHECK(r.outcome == Outcome::rejected);
        CHECK(influx::rejected_count(r, 10) == 2);
        CHECK(r.message == "partial write of line protocol occurred; first rejected line 2: No fields were provided");
    }
    SUBCASE("without a figure the whole batch is rejected")
    {
        CHECK(influx::rejected_count(classify(400, "unable to parse"), 10) == 10);
        CHECK(influx::rejected_count(classify(400, R"({"data": "not a list"})"), 10) == 10);
    }
}

TEST_CASE("a dropped count too large for 64 bits is bounded by the batch, never an error")
{
    // 2efd456 read it with std::stoull, which threw out_of_range in the sender thread: exit 134.
    const auto r = classify(400, R"({"error":"partial write: x dropped=99999999999999999999999999"})");
    CHECK(r.outcome == Outcome::rejected);
    CHECK(influx::rejected_count(r, 17) == 17);
    CHECK(influx::rejected_count(classify(400, "dropped=18446744073709551616"), 4) == 4);
    CHECK(influx::rejected_count(classify(400, "dropped=-1"), 4) == 4);
    CHECK(influx::rejected_count(classify(400, "dropped="), 4) == 4);
}

TEST_CASE("Retry-After is read as delta-seconds or an HTTP date, and anything else is absent")
{
    CHECK(influx::parse_retry_after("120", noon) == 120s);
    CHECK(influx::parse_retry_after(" 0 ", noon) == 0s);
    CHECK(influx::parse_retry_after("99999999999999999999999", noon) == 24h);
    CHECK(influx::parse_retry_after("86401", noon) == 24h);
    CHECK(influx::parse_retry_after("Sun, 06 Dec 2026 12:00:30 GMT", noon) == 30s);   // IMF-fixdate
    CHECK(influx::parse_retry_after("Sunday, 06-Dec-26 12:01:00 GMT", noon) == 60s);  // RFC 850
    CHECK(influx::parse_retry_after("Sun Dec  6 12:00:05 2026", noon) == 5s);         // asctime
    CHECK(influx::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", noon) == 0s);    // in the past
    CHECK(influx::parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", noon) == 24h);
    for (const char* bad : {"", "   ", "-5", "1.5", "abc", "5s", "0x10", "Sun, 32 Dec 2026 12:00:00 GMT",
                            "Sun, 06 Foo 2026 12:00:00 GMT", "Sun, 06 Dec 2026 25:00:00 GMT", ", , , , , , ,"})
        CHECK_FALSE(influx::parse_retry_after(bad, noon).has_value());
}

TEST_CASE("Retry-After counts only on 429 and 503")
{
    CHECK(classify(503, "", "5").retry_after == 5s);
    CHECK_FALSE(classify(500, "", "5").retry_after.has_value());
    CHECK_FALSE(classify(200, "", "5").retry_after.has_value());
}
