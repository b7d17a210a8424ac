#include <doctest/doctest.h>

#include "util/json_writer.hpp"

#include <cmath>
#include <limits>

TEST_CASE("objects, arrays and scalars are separated by commas")
{
    util::JsonWriter w;
    w.begin_object().field("a", 1).key("b").begin_array().value(true).value("x").null().end_array();
    w.key("c").begin_object().end_object().end_object();
    CHECK(w.str() == R"({"a":1,"b":[true,"x",null],"c":{}})");
}

TEST_CASE("an empty optional leaves its key out")
{
    util::JsonWriter w;
    std::optional<std::uint64_t> none;
    std::optional<std::uint64_t> some = 18446744073709551615ull;
    w.begin_object().field("none", none).field("some", some).field_nonempty("empty", "").end_object();
    CHECK(w.str() == R"({"some":18446744073709551615})");
}

TEST_CASE("strings with quotes, backslashes, control characters and bad UTF-8 stay valid JSON")
{
    std::string out;
    util::append_json_string(out, std::string("q\"b\\n\n\x01\x7f", 8));
    CHECK(out == R"("q\"b\\n\n\u0001\u007f")");
    out.clear();
    util::append_json_string(out, "caf\xC3\xA9 \xE2\x82\xAC");  // valid UTF-8 kept as is
    CHECK(out == "\"caf\xC3\xA9 \xE2\x82\xAC\"");
    out.clear();
    util::append_json_string(out, "bad\xC3 \xFF \xED\xA0\x80");  // truncated, invalid byte, surrogate
    CHECK(out == "\"bad\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST_CASE("non-finite doubles are written as null")
{
    util::JsonWriter w;
    w.begin_array().value(std::nan("")).value(std::numeric_limits<double>::infinity()).value(0.5).end_array();
    CHECK(w.str() == "[null,null,0.5]");
}

TEST_CASE("pretty output indents nested containers")
{
    util::JsonWriter w(true);
    w.begin_object().key("a").begin_array().value(1).end_array().end_object();
    CHECK(w.str() == "{\n  \"a\": [\n    1\n  ]\n}");
}
