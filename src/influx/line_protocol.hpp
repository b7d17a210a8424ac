// InfluxDB line protocol: one Point in, one line out. Pure functions; safe from any thread; nothing
// here throws except std::bad_alloc.
//
// The output must mean the same thing to every server that receives it (InfluxDB 1.x, 2.x, 3.x,
// VictoriaMetrics), and their parsers disagree on backslashes. So names (measurement, tag keys and
// values, field keys) are first *sanitized* to the subset every parser reads identically, then escaped:
//   - `,` `=` and space are escaped with a backslash (the measurement: `,` and space only);
//   - a backslash is kept when a plain character follows it (`DOMAIN\user` arrives unchanged), but a
//     backslash at the end or before a backslash, `,`, `=`, space, `"` or a control character becomes
//     `/`: 1.x and 2.x keep `\\` as two backslashes where 3.x and VictoriaMetrics read one (so `a\ b`
//     needs a different spelling for each family), and a trailing backslash escapes the separator after
//     it in every parser (3.x rejects it outright);
//   - control characters become visible escapes (`\n`, `\r`, `\t`, `\f`, `\v`, `\xHH`): a raw newline
//     ends the line and 2.x rejects any raw control character in a name;
//   - invalid UTF-8 becomes U+FFFD (2.x and 3.x reject the whole body otherwise).
// String field values escape `"` and `\`; a newline or carriage return becomes the two characters
// `\n` / `\r` (written `\\n`, so every server stores the same two characters; a raw newline would end
// the line for 1.x and VictoriaMetrics).
// Points are canonicalised before encoding: a tag with an empty key or value is dropped (InfluxDB has
// no empty tags), tags are sorted by key in byte order, the first of two equal keys wins, a field that
// is NaN/Inf or an unsigned value above INT64_MAX is dropped (1.x has no unsigned type), the key
// `time` is dropped (1.x rejects the whole point for a `time` tag and silently drops a `time` field).
// Integers carry the `i` suffix; floats are the shortest text that reads back to the same double, with
// an exponent written as `1.0e+06`: older InfluxDB 3 (IOx) parsers take a negative mantissa with an
// exponent only in that form (`-1.0e+06`, not `-1e+06`); 1.x, 2.x and later 3.x read both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/choices.hpp"

namespace influx {

// push.precision; its names are config's (choices.hpp).
using Precision = config::Precision;

// A nanosecond timestamp in the given precision (floor division, so it never rounds up into the future).
std::int64_t scale_timestamp(std::int64_t ns, Precision p) noexcept;
// The inverse, for readers of encoded lines.
std::int64_t unscale_timestamp(std::int64_t value, Precision p) noexcept;

using FieldValue = std::variant<std::int64_t, std::uint64_t, double, bool, std::string>;

struct Tag {
    std::string key;
    std::string value;
    friend bool operator==(const Tag&, const Tag&) = default;
};

struct Field {
    std::string key;
    FieldValue value;
    friend bool operator==(const Field&, const Field&) = default;
};

struct Point {
    std::string measurement;
    std::vector<Tag> tags;
    std::vector<Field> fields;
    std::int64_t timestamp_ns = 0;
    friend bool operator==(const Point&, const Point&) = default;
};

// What a server stores for a name: the sanitizing described above, without the escaping.
std::string sanitize_name(std::string_view name);
// What a server (1.x, 3.x) stores for a string field value.
std::string sanitize_string(std::string_view value);

// The point exactly as a server will store it (names sanitized, tags dropped/sorted/deduplicated,
// unwritable fields dropped, unsigned values as int64), or nullopt when no line can be written: no field
// left, or a measurement that is empty or starts with '#' (that line would be a comment).
std::optional<Point> canonical(const Point& point);

// Appends the point's line (without a newline) to `out`. Returns false and leaves `out` unchanged
// when canonical() gives nullopt.
bool encode(const Point& point, Precision precision, std::string& out);
// Each point's line (without a newline) appended to `lines`, in order; a point encode() refuses is left out.
void append_lines(const std::vector<Point>& points, Precision precision, std::vector<std::string>& lines);

// The text of one float as encode writes it (finite values only).
std::string format_float(double value);

}  // namespace influx
