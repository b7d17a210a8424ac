// Prints encoded lines with what a server is expected to store for each, one JSON object per line:
//   {"line": "<line protocol>", "expect": {"measurement", "tags": {}, "fields": {}, "time": ns}}
// for tests/integration/influx_line_protocol.py, which writes the lines to a real influxd and compares
// what InfluxQL returns with "expect".
//   encode_fixture                      the hostile fixture: the sample snapshot (first push and 10 s
//                                       later), a snapshot of hostile names, and edge-case values
//   encode_fixture --decode FILE        the lines of FILE (e.g. the golden lines), read by parse_line
//   encode_fixture --field-table        the README's field table (Markdown), from field_catalog()
// Exit status 0, or 2 for bad arguments, an unreadable file or a line parse_line rejects.
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include "support/fixture_snapshots.hpp"
#include "support/line_protocol_reader.hpp"
#include "influx/guest_fs_lines.hpp"
#include "influx/measurements.hpp"
#include "influx/pool_lines.hpp"
#include "util/json_writer.hpp"

using namespace influx;

namespace {

void print(const std::string& line, const Point& expect)
{
    util::JsonWriter w;
    w.begin_object().field("line", line).key("expect").begin_object();
    w.field("measurement", expect.measurement).key("tags").begin_object();
    for (const auto& t : expect.tags) w.field(t.key, t.value);
    w.end_object().key("fields").begin_object();
    for (const auto& f : expect.fields) {
        w.key(f.key);
        std::visit([&](const auto& v) { w.value(v); }, f.value);
    }
    w.end_object().field("time", expect.timestamp_ns).end_object().end_object();
    std::cout << w.str() << '\n';
}

void print_points(const std::vector<Point>& points)
{
    for (const auto& p : points) {
        std::string line;
        if (encode(p, Precision::ns, line)) print(line, *canonical(p));
    }
}

// Values at the edges of what the protocol and the servers represent, on hostile names.
std::vector<Point> edge_points()
{
    std::vector<Point> out;
    const std::int64_t ts = 1'700'000'100'000'000'000;
    int n = 0;
    auto point = [&](std::vector<Field> fields) -> Point& {
        out.push_back(Point{"lp_edge", {{"case", std::to_string(n++)}}, std::move(fields), ts});
        return out.back();
    };
    for (const auto& s : test_support::hostile_strings())
        point({{"s", s}, {s, std::int64_t{1}}}).tags.push_back({"name", s});
    point({{"s", std::string()}});
    for (double x : {1e6, -1e6, 1.5e-7, 1e300, -1e-300, 5e-324, std::numeric_limits<double>::max(), 0.1, 123.0, -0.0})
        point({{"x", x}});
    point({{"i", std::numeric_limits<std::int64_t>::min()}});
    point({{"i", std::numeric_limits<std::int64_t>::max()}});
    point({{"i", std::uint64_t{1} << 62}});
    point({{"b", true}});
    point({{"b", false}});
    return out;
}

int decode_file(const char* path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "encode_fixture: cannot read " << path << "\n";
        return 2;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::string error;
        const auto p = parse_line(line, Precision::ns, &error);
        if (!p) {
            std::cerr << "encode_fixture: " << error << ": " << line << "\n";
            return 2;
        }
        print(line, *p);
    }
    return 0;
}

int field_table()
{
    std::cout << "| measurement | field | type | source |\n|---|---|---|---|\n";
    auto fields = field_catalog();
    for (auto& f : guest_fs_field_catalog()) fields.push_back(std::move(f));
    for (auto& f : pool_field_catalog()) fields.push_back(std::move(f));
    for (const auto& f : fields)
        std::cout << "| `" << f.measurement << "` | `" << f.field << "` | " << f.type << " | " << f.source << " |\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--decode") == 0) return decode_file(argv[2]);
    if (argc == 2 && std::strcmp(argv[1], "--field-table") == 0) return field_table();
    if (argc != 1) {
        std::cerr << "usage: encode_fixture [--decode FILE | --field-table]\n";
        return 2;
    }
    const auto first = test_support::sample_snapshot();
    const MeasurementOptions sample_options{"hv1", {{"dc", "west 1"}}, config::all_measurements};
    print_points(measurements(first, nullptr, sample_options));
    print_points(measurements(test_support::sample_snapshot_later(), &first, sample_options));
    const MeasurementOptions hostile_options{
        "hv \"1\",=\\", {{"env\\", "prod\n"}, {"zone", "a b,c=d"}}, config::all_measurements};
    print_points(measurements(test_support::hostile_snapshot(), nullptr, hostile_options));
    print_points(edge_points());
    return 0;
}
