#include <doctest/doctest.h>

#include <string>

#include "util/json_reader.hpp"

TEST_CASE("a JSON document is read into values, members in document order")
{
    const auto v =
        util::parse_json(R"( {"a": [1, -2.5e3, true, false, null], "b": {"c": "d\"\\\/\n\u00e9\ud83d\ude00"}} )");
    REQUIRE(v);
    const auto* a = v->member("a");
    REQUIRE(a);
    REQUIRE(a->array());
    CHECK(a->array()->size() == 5);
    CHECK(a->array()->at(0).unsigned_integer() == 1u);
    CHECK_FALSE(a->array()->at(1).unsigned_integer());
    CHECK(std::get<bool>(a->array()->at(2).value));
    CHECK(*v->member("b")->member("c")->string() == "d\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
    CHECK(v->member("missing") == nullptr);
    CHECK(a->member("a") == nullptr);  // not an object
}

TEST_CASE("malformed JSON is refused without throwing")
{
    for (const char* bad : {"",
                            " ",
                            "{",
                            "}",
                            "[1,]",
                            "{\"a\"}",
                            "{\"a\":}",
                            "{a:1}",
                            "01",
                            "1.",
                            "-",
                            "1e",
                            "\"unterminated",
                            "\"bad \\x escape\"",
                            "\"\\u12\"",
                            "\"raw\ncontrol\"",
                            "tru",
                            "nul",
                            "[1] trailing",
                            "{\"a\":1,}",
                            "'single'"})
        CHECK_FALSE(util::parse_json(bad));
}

TEST_CASE("nesting deeper than the limit and texts larger than the limit are refused")
{
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    CHECK_FALSE(util::parse_json(deep));
    CHECK(util::parse_json(std::string(32, '[') + std::string(32, ']')));
    CHECK_FALSE(util::parse_json(std::string(34, '[') + std::string(34, ']')));
    CHECK_FALSE(util::parse_json("\"" + std::string(100, 'x') + "\"", {.max_depth = 32, .max_bytes = 50}));
}

TEST_CASE("a lone surrogate becomes U+FFFD, never invalid UTF-8")
{
    CHECK(*util::parse_json(R"("\ud800")")->string() == "\xef\xbf\xbd");
    CHECK(*util::parse_json(R"("\udc00x")")->string() == "\xef\xbf\xbdx");
    CHECK(*util::parse_json(R"("\ud800\u0041")")->string() ==
          "\xef\xbf\xbd"
          "A");
}

TEST_CASE("an integer too large for 64 bits is no unsigned integer")
{
    CHECK_FALSE(util::parse_json("99999999999999999999999")->unsigned_integer());
    CHECK(util::parse_json("18446744073709551615")->unsigned_integer() == 18446744073709551615ull);
    CHECK_FALSE(util::parse_json("\"7\"")->unsigned_integer());
}
