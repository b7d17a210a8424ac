// A small JSON reader for answers from outside (InfluxDB's error bodies): RFC 8259 values into a tree,
// bounded in nesting depth and size, never throwing on any input.
//
// Ownership: a JsonValue owns its children. Thread-safety: pure functions and plain values.
// Throws: nothing but std::bad_alloc; a malformed, too deep or too large text gives std::nullopt.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace util {

struct JsonValue;
using JsonArray = std::vector<JsonValue>;
// Members in document order, duplicates kept; keys[i] names values[i]. (Two vectors, not one of pairs:
// a std::pair of the still incomplete JsonValue inside its own variant is refused by clang with libstdc++.)
struct JsonObject {
    std::vector<std::string> keys;
    std::vector<JsonValue> values;
};

struct JsonValue {
    // Numbers are kept as their text: the caller decides how to read them (util::parse_json_integer).
    struct Number {
        std::string text;
    };
    std::variant<std::nullptr_t, bool, Number, std::string, JsonArray, JsonObject> value;

    const std::string* string() const noexcept { return std::get_if<std::string>(&value); }
    const JsonArray* array() const noexcept { return std::get_if<JsonArray>(&value); }
    const JsonObject* object() const noexcept { return std::get_if<JsonObject>(&value); }
    // The first member called `key` of an object; null when this is not an object or has no such member.
    const JsonValue* member(std::string_view key) const noexcept;
    // A number that is a whole non-negative integer fitting in 64 bits.
    std::optional<unsigned long long> unsigned_integer() const noexcept;
};

struct JsonLimits {
    std::size_t max_depth = 32;
    std::size_t max_bytes = 1 << 20;
};

// The whole of `text` as one JSON value (surrounding white space allowed); nullopt when it is not.
std::optional<JsonValue> parse_json(std::string_view text, JsonLimits limits = {});

}  // namespace util
