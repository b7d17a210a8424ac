#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>

#include "influx/line_protocol.hpp"
#include "support/line_protocol_reader.hpp"
#include "support/fixture_snapshots.hpp"

using namespace influx;

namespace {

std::string line_of(const Point& p, Precision precision = Precision::ns)
{
    std::string out;
    REQUIRE(encode(p, precision, out));
    return out;
}

Point one(std::string measurement, std::vector<Tag> tags, std::vector<Field> fields, std::int64_t ts = 1)
{
    return Point{std::move(measurement), std::move(tags), std::move(fields), ts};
}

}  // namespace

TEST_CASE("escaping table: every element kind, every special character")
{
    struct Row {
        std::string in;
        std::string measurement, tag;
    };
    // measurement: `,` and space escaped; tags and keys: also `=`. Backslashes survive only before a
    // plain character; control characters become visible escapes; invalid UTF-8 becomes U+FFFD.
    const Row rows[] = {
        {"plain", "plain", "plain"},
        {"with space", "with\\ space", "with\\ space"},
        {"comma,here", "comma\\,here", "comma\\,here"},
        {"equals=here", "equals=here", "equals\\=here"},
        {"quote\"here", "quote\"here", "quote\"here"},
        {"DOMAIN\\user", "DOMAIN\\user", "DOMAIN\\user"},
        {"trailing\\", "trailing/", "trailing/"},
        {"two\\\\", "two//", "two//"},
        {"a\\\\b", "a/\\b", "a/\\b"},
        {"back\\ space", "back/\\ space", "back/\\ space"},
        {"back\\,comma", "back/\\,comma", "back/\\,comma"},
        {"back\\=eq", "back/=eq", "back/\\=eq"},
        {"back\\\"q", "back/\"q", "back/\"q"},
        {"new\nline", "new\\nline", "new\\nline"},
        {"cr\rlf\n", "cr\\rlf\\n", "cr\\rlf\\n"},
        {"tab\tff\fvt\v", "tab\\tff\\fvt\\v", "tab\\tff\\fvt\\v"},
        {"bell\x07"
         "del\x7f",
         "bell\\x07del\\x7f", "bell\\x07del\\x7f"},
        {"x\\\ny", "x/\\ny", "x/\\ny"},
        {"non-ASCII é 日本", "non-ASCII\\ é\\ 日本", "non-ASCII\\ é\\ 日本"},
        {"bad\xff"
         "utf8\xc3",
         "bad\xef\xbf\xbdutf8\xef\xbf\xbd", "bad\xef\xbf\xbdutf8\xef\xbf\xbd"},
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        CHECK(line_of(one(r.in, {}, {{"f", std::int64_t{1}}})) == r.measurement + " f=1i 1");
        CHECK(line_of(one("m", {{r.in, r.in}}, {{r.in, std::int64_t{1}}})) ==
              "m," + r.tag + "=" + r.tag + " " + r.tag + "=1i 1");
    }
}

TEST_CASE("string field values escape quotes and backslashes and never carry a raw newline")
{
    const std::pair<std::string, std::string> rows[] = {
        {"", "\"\""},
        {"plain text", "\"plain text\""},
        {"say \"hi\"", "\"say \\\"hi\\\"\""},
        {"ends with \\", "\"ends with \\\\\""},
        {"a,b=c d", "\"a,b=c d\""},
        {"two\nlines\r", "\"two\\\\nlines\\\\r\""},
        {"tab\tkept", "\"tab\tkept\""},
        {"bad\xff", "\"bad\xef\xbf\xbd\""},
    };
    for (const auto& row : rows) {
        const auto& in = row.first;
        const auto& out = row.second;
        CAPTURE(in);
        CHECK(line_of(one("m", {}, {{"s", in}})) == "m s=" + out + " 1");
    }
}

TEST_CASE("numbers: integers with i, floats that every InfluxDB parser reads back exactly")
{
    CHECK(line_of(one("m", {}, {{"a", std::int64_t{-5}}, {"b", std::uint64_t{7}}, {"c", true}, {"d", false}})) ==
          "m a=-5i,b=7i,c=true,d=false 1");
    CHECK(line_of(one("m", {},
                      {{"min", std::numeric_limits<std::int64_t>::min()},
                       {"max", std::numeric_limits<std::int64_t>::max()}})) ==
          "m min=-9223372036854775808i,max=9223372036854775807i 1");
    CHECK(format_float(0.5) == "0.5");
    CHECK(format_float(123.0) == "123");
    CHECK(format_float(-0.0) == "-0");
    CHECK(format_float(1e6) == "1.0e+06");
    CHECK(format_float(-1e300) == "-1.0e+300");
    CHECK(format_float(1.5e-7) == "1.5e-07");
    CHECK(format_float(5e-324) == "5.0e-324");
    CHECK(format_float(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
    std::mt19937_64 rng(42);
    for (int i = 0; i < 20000; ++i) {
        const double d = std::bit_cast<double>(rng());
        if (!std::isfinite(d)) continue;
        const std::string text = format_float(d);
        CAPTURE(text);
        const auto e = text.find('e');
        CHECK((e == std::string::npos || text.find('.') < e));  // an exponent always follows a '.'
        CHECK(std::strtod(text.c_str(), nullptr) == d);
    }
}

TEST_CASE("what cannot be written is left out")
{
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    std::string out = "kept";
    CHECK_FALSE(encode(one("m", {{"t", "v"}}, {}), Precision::ns, out));
    CHECK_FALSE(encode(one("m", {}, {{"a", nan}, {"b", inf}, {"c", -inf}}), Precision::ns, out));
    CHECK_FALSE(encode(one("m", {}, {{"big", std::numeric_limits<std::uint64_t>::max()}}), Precision::ns, out));
    CHECK_FALSE(encode(one("m", {}, {{"time", std::int64_t{1}}, {"", std::int64_t{1}}}), Precision::ns, out));
    CHECK_FALSE(encode(one("", {}, {{"f", 1.0}}), Precision::ns, out));
    CHECK_FALSE(encode(one("#comment", {}, {{"f", 1.0}}), Precision::ns, out));
    CHECK(out == "kept");

    CHECK(line_of(one("m", {{"empty", ""}, {"", "nokey"}, {"time", "x"}, {"t", "v"}},
                      {{"nan", nan}, {"f", 2.5}, {"big", std::uint64_t{1} << 63}})) == "m,t=v f=2.5 1");
}

TEST_CASE("tags are sorted by key in byte order; the first of two equal keys wins")
{
    CHECK(line_of(one("m", {{"z", "1"}, {"a", "2"}, {"M", "3"}, {"é", "4"}, {"a", "dup"}}, {{"f", std::int64_t{1}}})) ==
          "m,M=3,a=2,z=1,é=4 f=1i 1");
    // Sorting sees the stored (sanitized) key; fields keep their order, without repeats.
    CHECK(line_of(one("m", {{"b\\", "1"}, {"b/", "2"}}, {{"y", std::int64_t{1}}, {"x", 2.0}, {"y", 3.0}})) ==
          "m,b/=1 y=1i,x=2 1");
}

TEST_CASE("timestamps in every precision, rounded down")
{
    const std::int64_t ts = 1'700'000'000'123'456'789;
    const Point p = one("m", {}, {{"f", std::int64_t{1}}}, ts);
    CHECK(line_of(p, Precision::ns) == "m f=1i 1700000000123456789");
    CHECK(line_of(p, Precision::us) == "m f=1i 1700000000123456");
    CHECK(line_of(p, Precision::ms) == "m f=1i 1700000000123");
    CHECK(line_of(p, Precision::s) == "m f=1i 1700000000");
    CHECK(scale_timestamp(-1, Precision::s) == -1);
    // The names are config's one table; an unknown word has no precision (it used to fall back to ns here).
    const auto parse = [](std::string_view text) {
        return util::value_named<Precision>(config::precision_names, text);
    };
    CHECK(parse("us") == Precision::us);
    CHECK_FALSE(parse("h").has_value());
    CHECK_FALSE(parse("bogus").has_value());
    CHECK(config::name_of(Precision::ms) == "ms");
}

TEST_CASE("sanitizing is idempotent, so a sanitized name is written as it is")
{
    for (const auto& s : test_support::hostile_strings()) {
        CAPTURE(s);
        const std::string once = sanitize_name(s);
        CHECK(sanitize_name(once) == once);
        CHECK(sanitize_string(sanitize_string(s)) == sanitize_string(s));
        CHECK(once.find('\n') == std::string::npos);
        CHECK((once.empty() || once.back() != '\\'));
    }
    CHECK(sanitize_name("DOMAIN\\user é") == "DOMAIN\\user é");  // what needs no change is not changed
}
