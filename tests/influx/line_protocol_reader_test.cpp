#include <doctest/doctest.h>

#include <random>

#include "support/fixture_snapshots.hpp"
#include "influx/line_protocol.hpp"
#include "support/line_protocol_reader.hpp"

using namespace influx;

namespace {

// Random strings over the characters that matter to the protocol (and some that do not).
std::string random_string(std::mt19937& rng)
{
    static const std::vector<std::string> atoms = {"a",  "Z", "0", " ",  ",",    "=",    "\"",   "\\", "\n", "\r",
                                                   "\t", "#", "é", "日", "\xff", "\xc3", "\x01", "i",  "u",  "."};
    std::uniform_int_distribution<std::size_t> len(0, 8), pick(0, atoms.size() - 1);
    std::string s;
    for (std::size_t n = len(rng); n > 0; --n) s += atoms[pick(rng)];
    return s;
}

FieldValue random_value(std::mt19937& rng, const std::string& text)
{
    switch (rng() % 5) {
    case 0: return static_cast<std::int64_t>(rng()) - (1ll << 31);
    case 1: return static_cast<std::uint64_t>(rng()) << (rng() % 40);
    case 2: return std::ldexp(static_cast<double>(rng()) - 2e9, static_cast<int>(rng() % 200) - 100);
    case 3: return rng() % 2 == 0;
    default: return text;
    }
}

void check_round_trip(const Point& p, Precision precision)
{
    std::string line;
    const auto expected = canonical(p);
    REQUIRE(encode(p, precision, line) == expected.has_value());
    if (!expected) return;
    CAPTURE(line);
    CHECK(line.find_first_of("\n\r") == std::string::npos);
    std::string error;
    const auto back = parse_line(line, precision, &error);
    CAPTURE(error);
    REQUIRE(back.has_value());
    Point want = *expected;
    want.timestamp_ns = unscale_timestamp(scale_timestamp(want.timestamp_ns, precision), precision);
    CHECK(*back == want);
}

}  // namespace

TEST_CASE("every hostile string survives as tag key, tag value, field key, string value and measurement")
{
    for (const auto& s : test_support::hostile_strings()) {
        CAPTURE(s);
        check_round_trip(Point{s, {{s, s}, {"k", s}}, {{s, s}, {"n", std::int64_t{1}}}, 1'700'000'000'000'000'000},
                         Precision::ns);
    }
}

TEST_CASE("names without troublesome characters come back byte for byte")
{
    for (const std::string s : {"with space", "comma,here", "equals=here", "quote\"here", "non-ASCII é ü 日本",
                                "web \"front\",a=b é", "DOMAIN\\user", "=,\" ,="}) {
        CAPTURE(s);
        std::string line;
        REQUIRE(encode(Point{"m", {{"name", s}}, {{"s", s}}, 5}, Precision::ns, line));
        const auto back = parse_line(line);
        REQUIRE(back.has_value());
        CHECK(back->tags.at(0).value == s);
        CHECK(std::get<std::string>(back->fields.at(0).value) == s);
    }
}

TEST_CASE("property: random points round-trip through encode and parse_line in every precision")
{
    std::mt19937 rng(20240601);
    for (int i = 0; i < 3000; ++i) {
        Point p;
        p.measurement = random_string(rng);
        for (int t = static_cast<int>(rng() % 4); t > 0; --t)
            p.tags.push_back({random_string(rng), random_string(rng)});
        for (int f = static_cast<int>(rng() % 4); f > 0; --f) {
            const std::string text = random_string(rng);
            p.fields.push_back({random_string(rng), random_value(rng, text)});
        }
        p.timestamp_ns = static_cast<std::int64_t>(rng()) * 1'000'000'007ll - (1ll << 40);
        CAPTURE(i);
        check_round_trip(p, static_cast<Precision>(i % 4));
    }
}

TEST_CASE("the reader accepts what servers accept, as they read it")
{
    const auto p = parse_line("cpu\\ 1\\,x,host=a\\ b,k\\=y=v\\,w f=1.5,i=-3i,u=4u,b=T,s=\"q\\\"\\\\\\n\" 1700000000",
                              Precision::s);
    REQUIRE(p.has_value());
    CHECK(p->measurement == "cpu 1,x");
    REQUIRE(p->tags.size() == 2);
    CHECK(p->tags[0] == Tag{"host", "a b"});
    CHECK(p->tags[1] == Tag{"k=y", "v,w"});
    REQUIRE(p->fields.size() == 5);
    CHECK(p->fields[0].value == FieldValue(1.5));
    CHECK(p->fields[1].value == FieldValue(std::int64_t{-3}));
    CHECK(p->fields[2].value == FieldValue(std::uint64_t{4}));
    CHECK(p->fields[3].value == FieldValue(true));
    CHECK(p->fields[4].value == FieldValue(std::string("q\"\\\\n")));
    CHECK(p->timestamp_ns == 1'700'000'000'000'000'000);
    // A backslash before a plain character is kept, in names and in strings.
    const auto q = parse_line("m,t=a\\b f=\"c\\d\",g=1.0e+06");
    REQUIRE(q.has_value());
    CHECK(q->tags[0].value == "a\\b");
    CHECK(q->fields[0].value == FieldValue(std::string("c\\d")));
    CHECK(q->fields[1].value == FieldValue(1e6));
    CHECK(q->timestamp_ns == 0);
}

TEST_CASE("the reader rejects malformed lines and says why")
{
    for (const std::string bad : {"",           "m",
                                  "m ",         "#comment f=1",
                                  ",t=v f=1",   "m,t= f=1",
                                  "m,=v f=1",   "m,t f=1",
                                  "m f=",       "m =1",
                                  "m f=1 x",    "m f=1 1 2",
                                  "m f=nan",    "m f=inf",
                                  "m f=-inf",   "m f=1e",
                                  "m f=\"open", "m f=abc",
                                  "m f=1.5i",   "m f=99999999999999999999i",
                                  "m f=-1u",    "m,t=a\x01 f=1",
                                  "m f=1,",     "m f=1,,g=2",
                                  "m f=1  5",   "m f=1 9223372036854775807"}) {
        CAPTURE(bad);
        std::string error;
        CHECK_FALSE(parse_line(bad, bad == "m f=1 9223372036854775807" ? Precision::s : Precision::ns, &error));
        CHECK_FALSE(error.empty());
    }
}

TEST_CASE("fuzz: mutated lines never crash the reader, and what it accepts encodes back to the same point")
{
    std::mt19937 rng(7);
    const std::string alphabet = "ab ,=\"\\\n\t#.-0123456789eiuTf\xff";
    std::vector<std::string> seeds;
    for (const auto& s : test_support::hostile_strings()) {
        std::string line;
        if (encode(Point{s, {{s, s}}, {{s, s}, {"n", 1.5}, {"i", std::int64_t{-2}}}, 42}, Precision::ns, line))
            seeds.push_back(line);
    }
    for (int i = 0; i < 20000; ++i) {
        std::string line = seeds[rng() % seeds.size()];
        for (int m = 1 + static_cast<int>(rng() % 4); m > 0; --m) {
            const std::size_t at = line.empty() ? 0 : rng() % line.size();
            const char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
            case 0: line.insert(line.begin() + static_cast<std::ptrdiff_t>(at), c); break;
            case 1:
                if (!line.empty()) line.erase(at, 1);
                break;
            default:
                if (!line.empty()) line[at] = c;
            }
        }
        CAPTURE(line);
        const auto p = parse_line(line);
        if (!p) continue;
        std::string again;
        const auto want = canonical(*p);
        REQUIRE(encode(*p, Precision::ns, again) == want.has_value());
        if (want) CHECK(parse_line(again) == want);
    }
}
