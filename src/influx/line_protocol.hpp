// InfluxDB line protocol, pure: encoding a point into one line, and reading a line back (for tests).
//
// Escaping follows InfluxDB 1.x's parser, the strictest reader we target (2.x, 3.x and VictoriaMetrics
// accept the same): measurement: comma and space; tag keys, tag values and field keys: comma, equals,
// space; string fields: double quote and backslash. What the protocol cannot carry is changed, not
// emitted: a newline or carriage return becomes a space, trailing backslashes are removed (1.x would
// read "x\" followed by the separator as an escaped separator), an empty tag is dropped, a non-finite
// float is dropped, and a line left without fields is not written. Tags are sorted by key.
// Thread-safe (no state). Throws only std::bad_alloc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace influx {

using FieldValue = std::variant<std::int64_t, double, bool, std::string>;

struct Point {
    std::string measurement;
    std::vector<std::pair<std::string, std::string>> tags;
    std::vector<std::pair<std::string, FieldValue>> fields;
    std::int64_t timestamp_ns = 0;
};

enum class Precision { ns, us, ms, s };
// "ns", "us", "ms", "s" (config values); anything else is ns.
Precision precision_from(std::string_view name) noexcept;

// One line without the trailing newline; nullopt when no field is left to write.
std::optional<std::string> encode(const Point& point, Precision precision = Precision::ns);

// Parses one line as encode() writes it (the subset of the protocol we produce); nullopt if malformed.
// The timestamp is returned as written (in the line's precision).
std::optional<Point> decode(std::string_view line);

}  // namespace influx
