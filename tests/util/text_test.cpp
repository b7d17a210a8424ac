#include <doctest/doctest.h>

#include <string>

#include "util/text.hpp"

using namespace std::string_view_literals;

TEST_CASE("trim drops leading and trailing ASCII whitespace and keeps what is inside")
{
    CHECK(util::trim("  a b \t\n") == "a b");
    CHECK(util::trim("\v\f\r x") == "x");
    CHECK(util::trim("x") == "x");
    CHECK(util::trim(" \t\n ").empty());
    CHECK(util::trim("").empty());
}

TEST_CASE("trim_start and trim_end drop only the characters they are given, on one side")
{
    CHECK(util::trim_start("  \tx  ", " ") == "\tx  ");
    CHECK(util::trim_end("  x \t", " \t") == "  x");
    CHECK(util::trim_end("secret\r\n\n", "\r\n") == "secret");
    CHECK(util::trim(" \t gzip \t", " \t") == "gzip");
    CHECK(util::trim("\n x \n", " ") == "\n x \n");
    CHECK(util::trim_start("   ", " ").empty());
}

TEST_CASE("utf8_sequence_length measures well-formed sequences of one to four bytes")
{
    CHECK(util::utf8_sequence_length("a", 0) == 1);
    CHECK(util::utf8_sequence_length("\xc3\xa9", 0) == 2);           // é
    CHECK(util::utf8_sequence_length("\xe2\x82\xac", 0) == 3);       // €
    CHECK(util::utf8_sequence_length("\xf0\x9f\x98\x80", 0) == 4);   // U+1F600
    CHECK(util::utf8_sequence_length("x\xf4\x8f\xbf\xbf", 1) == 4);  // U+10FFFF, the last code point
    CHECK(util::utf8_sequence_length("\xed\x9f\xbf", 0) == 3);       // U+D7FF, just below the surrogates
}

TEST_CASE("utf8_sequence_length rejects overlongs, surrogates, code points past U+10FFFF and truncation")
{
    for (const std::string_view bad : {"\xc0\xaf"sv, "\xc1\xbf"sv, "\xe0\x80\xaf"sv, "\xf0\x80\x80\xaf"sv,  // overlong
                                       "\xed\xa0\x80"sv, "\xed\xbf\xbf"sv,                    // surrogates
                                       "\xf4\x90\x80\x80"sv, "\xf5\x80\x80\x80"sv, "\xff"sv,  // too large
                                       "\x80"sv, "\xc3"sv, "\xe2\x82"sv, "\xf0\x9f\x98"sv,    // truncated
                                       "\xc3\x41"sv}) {                                       // no continuation
        INFO(std::string(bad));
        CHECK(util::utf8_sequence_length(bad, 0) == 0);
    }
}

TEST_CASE("valid_utf8 returns valid text as it is and replaces each bad byte with U+FFFD")
{
    std::string scratch;
    const std::string_view good = "caf\xc3\xa9 \xe2\x82\xac";
    CHECK(util::valid_utf8(good, scratch).data() == good.data());
    CHECK(scratch.empty());
    CHECK(util::valid_utf8("bad\xff!", scratch) == "bad\xef\xbf\xbd!");
    CHECK(util::valid_utf8("\xed\xa0\x80", scratch) == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    CHECK(util::valid_utf8("end\xc3", scratch) == "end\xef\xbf\xbd");
}

TEST_CASE("ASCII case folding lowers A to Z only and compares without case")
{
    CHECK(util::ascii_lower("Content-TYPE: 5MiB \xc3\x89") == "content-type: 5mib \xc3\x89");
    CHECK(util::ascii_lower('Q') == 'q');
    CHECK(util::iequals("Retry-After:", "retry-after:"));
    CHECK_FALSE(util::iequals("retry-after", "retry-after:"));
    CHECK_FALSE(util::iequals("\xc3\x89", "\xc3\xa9"));  // not Unicode case folding
}
