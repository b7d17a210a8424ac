#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <numbers>
#include <set>

#include "support/fixture_snapshots.hpp"
#include "influx/measurements.hpp"
#include "support/stats_fixture.hpp"

using namespace influx;

namespace {

const MeasurementOptions options{"hv1", {{"dc", "west 1"}, {"name", "must-not-replace"}}, config::all_measurements};

std::string joined(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    return text;
}

void check_golden(const std::string& relative, const std::string& text)
{
    const std::string path = test_support::fixture_path(relative);
    if (std::getenv("UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << text;
    CHECK(text == test_support::read_file(path));
}

std::vector<const Point*> find(const std::vector<Point>& points, const std::string& measurement,
                               const std::string& name)
{
    std::vector<const Point*> out;
    for (const auto& p : points)
        for (const auto& t : p.tags)
            if (p.measurement == measurement && t.key == "name" && t.value == name) out.push_back(&p);
    return out;
}

const FieldValue* field(const Point& p, const std::string& key)
{
    for (const auto& f : p.fields)
        if (f.key == key) return &f.value;
    return nullptr;
}

double number(const FieldValue* v)
{
    REQUIRE(v != nullptr);
    if (const auto* d = std::get_if<double>(v)) return *d;
    if (const auto* u = std::get_if<std::uint64_t>(v)) return static_cast<double>(*u);
    return static_cast<double>(std::get<std::int64_t>(*v));
}

}  // namespace

TEST_CASE("golden lines: the fixed snapshot, first push and 10 s later")
{
    const auto first = test_support::sample_snapshot();
    const auto later = test_support::sample_snapshot_later();
    check_golden("expected/lines_first_push.txt", joined(measurement_lines(first, nullptr, options, Precision::ns)));
    check_golden("expected/lines.txt", joined(measurement_lines(later, &first, options, Precision::ns)));
}

TEST_CASE("the first push has no vm_features; the second has every rate")
{
    const auto first = test_support::sample_snapshot();
    const auto later = test_support::sample_snapshot_later();
    for (const auto& p : measurements(first, nullptr, options)) CHECK(p.measurement != "vm_features");

    const auto points = measurements(later, &first, options);
    const auto f = find(points, "vm_features", "one-42");
    REQUIRE(f.size() == 1);
    CHECK(number(field(*f[0], "cpu_usage")) == doctest::Approx(0.5));
    CHECK(number(field(*f[0], "memrate")) == doctest::Approx(1024.0));
    CHECK(number(field(*f[0], "memangle")) == doctest::Approx(std::atan(1024.0) * 180 / std::numbers::pi));
    CHECK(number(field(*f[0], "net_rxrate")) == doctest::Approx(10000.0));
    CHECK(number(field(*f[0], "net_txrate")) == doctest::Approx(5000.0));
    CHECK(number(field(*f[0], "disk_rdrate")) == doctest::Approx(40960.0));
    CHECK(number(field(*f[0], "disk_wrrate")) == doctest::Approx(20480.0));
    CHECK(std::holds_alternative<double>(*field(*f[0], "cpu_usage")));

    const auto hostile = find(points, "vm_features", test_support::sample_snapshot().domains[1].name);
    REQUIRE(hostile.size() == 1);
    CHECK(hostile[0]->fields.size() == 1);  // only cpu.time moved there; nothing else was reported
    CHECK(number(field(*hostile[0], "cpu_usage")) == doctest::Approx(0.1));
    CHECK(find(points, "vm_features", "stopped").empty());  // no value in both snapshots: no line
}

TEST_CASE("a counter that went backwards gives no rate; a shrinking rss gives a negative memrate")
{
    const auto first = test_support::sample_snapshot_later();
    auto restarted = test_support::sample_snapshot();
    restarted.taken_at = first.taken_at + std::chrono::seconds(5);
    const auto points = measurements(restarted, &first, options);
    const auto f = find(points, "vm_features", "one-42");
    REQUIRE(f.size() == 1);
    CHECK(field(*f[0], "cpu_usage") == nullptr);
    CHECK(field(*f[0], "net_rxrate") == nullptr);
    CHECK(number(field(*f[0], "memrate")) == doctest::Approx(-2048.0));
    CHECK(number(field(*f[0], "memangle")) < -89.9);
    // A previous snapshot that is not older gives no rates at all.
    for (const auto& p : measurements(first, &first, options)) CHECK(p.measurement != "vm_features");
}

TEST_CASE("vm_totals equal the sums of vm_devices, over the devices that reported each field")
{
    auto s = test_support::sample_snapshot();
    auto& d = s.domains[0];
    collect::NicSample nic2;
    nic2.name = "vnet1";
    nic2.rx_bytes = 5;  // reports rx bytes only
    d.nics.push_back(nic2);
    collect::DiskSample disk2 = d.disks[0];
    disk2.name = "vdb";
    disk2.errors = 3;  // the only disk reporting errors
    d.disks.push_back(disk2);
    const auto points = measurements(s, nullptr, options);

    std::map<std::string, double> sums;
    std::set<std::string> reported;
    for (const auto* p : find(points, "vm_devices", "one-42")) {
        std::string devtype;
        for (const auto& t : p->tags)
            if (t.key == "devtype") devtype = t.value;
        for (const auto& f : p->fields) {
            if (f.key == "capacity" || f.key == "allocation" || f.key == "physical") continue;  // sizes: no total
            if (f.key.starts_with("limit_")) continue;                                          // limits: none either
            const std::string key = (devtype == "nic" ? "net_" : "disk_") + f.key;
            sums[key] += number(&f.value);
            reported.insert(key);
        }
    }
    const auto totals = find(points, "vm_totals", "one-42");
    REQUIRE(totals.size() == 1);
    for (const auto& entry : sums) {
        const auto& key = entry.first;
        const auto& sum = entry.second;
        CAPTURE(key);
        CHECK(number(field(*totals[0], key)) == sum);
    }
    CHECK(number(field(*totals[0], "net_rxbytes")) == 1005);
    CHECK(number(field(*totals[0], "net_txbytes")) == 2000);  // vnet1 reported none: not counted as 0
    CHECK(number(field(*totals[0], "disk_errors")) == 3);
    // A total no device reported is absent, not 0.
    const auto hostile = find(points, "vm_totals", s.domains[1].name);
    REQUIRE(hostile.size() == 1);
    for (const auto& f : hostile[0]->fields) CHECK_FALSE(f.key.starts_with("net_"));
}

TEST_CASE("missing values are omitted, and a point without fields is not emitted")
{
    const auto points = measurements(test_support::sample_snapshot(), nullptr, options);
    const auto stopped = find(points, "vm_totals", "stopped");
    REQUIRE(stopped.size() == 1);
    REQUIRE(stopped[0]->fields.size() == 1);  // only state: no balloon.current, no cpu, no devices
    CHECK(stopped[0]->fields[0].key == "state");
    const auto metrics = find(points, "vm_metrics", "stopped");
    REQUIRE(metrics.size() == 1);
    CHECK(metrics[0]->fields.size() == 2);  // state and maxmem
    CHECK(find(points, "vm_devices", "stopped").empty());

    collect::Snapshot empty_domain;
    empty_domain.domains.emplace_back().name = "nothing";
    CHECK(measurements(empty_domain, nullptr, options).empty());
}

TEST_CASE("tags: identity, host and extra tags on every point; an extra tag cannot replace the name")
{
    const auto lines = measurement_lines(test_support::sample_snapshot(), nullptr, options, Precision::s);
    REQUIRE_FALSE(lines.empty());
    for (const auto& l : lines) {
        CAPTURE(l);
        CHECK(l.find(",dc=west\\ 1,") != std::string::npos);
        CHECK(l.find(",host=hv1,") != std::string::npos);
        CHECK(l.find("must-not-replace") == std::string::npos);
        CHECK(l.ends_with(" 1700000000"));
    }
    CHECK(lines.front().starts_with("vm_metrics,VMID=42,dc=west\\ 1,host=hv1,name=one-42,uuid="));
}

TEST_CASE("the field catalog lists every field of SPEC §3 exactly once per measurement")
{
    std::map<std::string, std::set<std::string>> by_measurement;
    for (const auto& f : field_catalog()) {
        CHECK(by_measurement[std::string(f.measurement)].insert(std::string(f.field)).second);
        CHECK_FALSE(f.source.empty());
    }
    std::set<std::string> job_fields;
    for (const auto& f : by_measurement["vm_metrics"])
        if (f.starts_with("job_")) job_fields.insert(f);
    std::erase_if(by_measurement["vm_metrics"], [](const std::string& f) { return f.starts_with("job_"); });
    CHECK(by_measurement["vm_metrics"] == std::set<std::string>{"state", "cpus", "maxmem", "mem", "cputime"});
    CHECK(job_fields.size() == 19);
    CHECK(job_fields.contains("job_type"));
    CHECK(job_fields.contains("job_data_processed"));
    CHECK(by_measurement["vm_features"] == std::set<std::string>{"cpu_usage", "memrate", "memangle", "net_rxrate",
                                                                 "net_txrate", "disk_rdrate", "disk_wrrate"});
    CHECK(by_measurement["vm_devices"].size() == 20 + 19);  // + the I/O limits (stats group block_iotune)
    CHECK(by_measurement["vm_totals"].size() == 38);
    CHECK(by_measurement["vm_vcpus"] == std::set<std::string>{"state", "cputime", "wait", "delay", "host_cpu"});
    CHECK(by_measurement.size() == 6);
}

TEST_CASE("vm_metrics carries job_* fields while a job runs, in libvirt's units, and none without one")
{
    auto snap = test_support::sample_snapshot();
    collect::JobSample job;
    job.type = 2;
    job.operation = 8;
    job.time_elapsed = 12345;
    job.data_processed = 400;
    snap.domains[0].job = job;
    const auto points = measurements(snap, nullptr, options);
    const auto with = find(points, "vm_metrics", snap.domains[0].name);
    REQUIRE(with.size() == 1);
    CHECK(number(field(*with[0], "job_type")) == 2);
    CHECK(number(field(*with[0], "job_operation")) == 8);
    CHECK(number(field(*with[0], "job_time_elapsed")) == 12345);
    CHECK(number(field(*with[0], "job_data_processed")) == 400);
    CHECK_FALSE(field(*with[0], "job_data_total"));
    const auto without = find(points, "vm_metrics", snap.domains[1].name);
    REQUIRE(without.size() == 1);
    for (const auto& f : without[0]->fields) CHECK_FALSE(f.key.starts_with("job_"));
}
