// Fuzz target: the InfluxDB line-protocol encoder (src/influx/line_protocol.hpp) in a round trip through
// the reader (tests/support/line_protocol_reader.hpp).
//
// Input, used twice:
//   1. as one line of line protocol text (tests/fixtures/expected/lines.txt lines are the seeds): when
//      influx::parse_line reads a Point from it, that Point goes round the trip;
//   2. decoded with FuzzedDataProvider into a Point of arbitrary bytes — measurement, tags, fields of
//      every FieldValue type (int64, uint64, double incl. NaN/Inf, bool, string), timestamp, precision.
//
// What encode promises, checked for each Point (abort() on a mismatch, so libFuzzer reports it):
//   - encode() writes a line exactly when canonical() gives a Point, and the line has no raw newline;
//   - parse_line(the line) gives back canonical(point): names as sanitize_name() makes them, strings as
//     sanitize_string() makes them, tags sorted and deduplicated, unwritable fields dropped, unsigned
//     values as int64, the timestamp floored to the precision;
//   - canonical() and sanitize_name() are idempotent (a stored point is stored unchanged).
// A timestamp whose floored value does not fit back into int64 ns is outside every server's range and
// outside encode's promise; it is replaced by 0 before the trip.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "influx/line_protocol.hpp"
#include "support/line_protocol_reader.hpp"

namespace {

void fail(const char* what, const std::string& line)
{
    std::fprintf(stderr, "fuzz_line_protocol: %s\n  line: %s\n", what, line.c_str());
    std::abort();
}

void round_trip(influx::Point point, influx::Precision precision)
{
    std::int64_t back = 0;
    if (__builtin_mul_overflow(influx::scale_timestamp(point.timestamp_ns, precision),
                               influx::unscale_timestamp(1, precision), &back))
        point.timestamp_ns = 0;

    const std::optional<influx::Point> expected = influx::canonical(point);
    std::string line = "unchanged";
    const bool written = influx::encode(point, precision, line);
    if (written != expected.has_value()) fail("encode() and canonical() disagree", line);
    if (!written) {
        if (line != "unchanged") fail("encode() returned false but changed its output", line);
        return;
    }
    line.erase(0, 9);
    if (line.find_first_of("\r\n") != std::string::npos) fail("raw newline in an encoded line", line);
    if (influx::canonical(*expected) != expected) fail("canonical() is not idempotent", line);
    if (influx::sanitize_name(expected->measurement) != expected->measurement)
        fail("sanitize_name() is not idempotent", line);

    std::string error;
    const std::optional<influx::Point> read = influx::parse_line(line, precision, &error);
    if (!read) fail(("parse_line() rejects an encoded line: " + error).c_str(), line);
    influx::Point want = *expected;
    want.timestamp_ns = influx::unscale_timestamp(influx::scale_timestamp(point.timestamp_ns, precision), precision);
    if (read->measurement != want.measurement) fail("measurement differs", line);
    if (read->tags != want.tags) fail("tags differ", line);
    if (read->fields != want.fields) fail("fields differ", line);
    if (read->timestamp_ns != want.timestamp_ns) fail("timestamp differs", line);
}

influx::FieldValue field_value(FuzzedDataProvider& in)
{
    switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0: return in.ConsumeIntegral<std::int64_t>();
    case 1: return in.ConsumeIntegral<std::uint64_t>();
    case 2: return in.ConsumeFloatingPoint<double>();
    case 3: {
        const double special[] = {std::numeric_limits<double>::quiet_NaN(),  std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity(),  -0.0,
                                  std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max()};
        return in.PickValueInArray(special);
    }
    case 4: return in.ConsumeBool();
    default: return in.ConsumeRandomLengthString(64);
    }
}

influx::Point decode_point(FuzzedDataProvider& in)
{
    influx::Point p;
    p.measurement = in.ConsumeRandomLengthString(32);
    for (int n = in.ConsumeIntegralInRange(0, 6); n > 0; --n) {
        std::string key = in.ConsumeRandomLengthString(16);
        p.tags.push_back({std::move(key), in.ConsumeRandomLengthString(32)});
    }
    for (int n = in.ConsumeIntegralInRange(0, 6); n > 0; --n) {
        std::string key = in.ConsumeRandomLengthString(16);
        p.fields.push_back({std::move(key), field_value(in)});
    }
    p.timestamp_ns = in.ConsumeIntegral<std::int64_t>();
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto point = influx::parse_line(text)) round_trip(*point, influx::Precision::ns);

    FuzzedDataProvider in(data, size);
    const influx::Precision precisions[] = {influx::Precision::ns, influx::Precision::us, influx::Precision::ms,
                                            influx::Precision::s};
    const influx::Precision precision = in.PickValueInArray(precisions);
    round_trip(decode_point(in), precision);
    return 0;
}
