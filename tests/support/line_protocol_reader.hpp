// Test support: reads one line of line protocol back into a Point, the reverse of encode(), for the
// unit tests, the fuzz target and the fixture tool (tests/influx/encode_fixture.cpp); the exporter
// itself never reads line protocol. It reads as InfluxDB 2.x does, which for everything encode()
// writes is also what 1.x, 3.x and VictoriaMetrics store:
//   - names: a backslash before `,` `=` or space (the measurement: `,` or space) escapes it; any other
//     backslash is kept as it is; raw control characters are an error;
//   - string values: `\"` and `\\` are escapes, any other backslash is kept;
//   - values: `123i` int64, `123u` uint64, `t`/`true`/`f`/`false` (any of InfluxDB's spellings) bool,
//     a quoted string, anything else numeric is a float (NaN and Inf are an error);
//   - the timestamp is optional (0 when absent) and is converted to ns from the given precision.
// Pure; safe from any thread; throws only std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "influx/line_protocol.hpp"

namespace influx {

// nullopt for a malformed line (error, when given, says why). A line without fields is malformed.
// Comment and empty lines are malformed too: pass one line of data.
std::optional<Point> parse_line(std::string_view line, Precision precision = Precision::ns,
                                std::string* error = nullptr);

}  // namespace influx
