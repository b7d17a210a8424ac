// The fields issue 21 added (disk times and sizes, vCPU and memory totals, vm_vcpus, vm_extra), the
// choice of measurements, and the promise that the seed's four measurements lost nothing on the way.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "influx/measurements.hpp"
#include "support/fixture_snapshots.hpp"

using namespace influx;

namespace {

const MeasurementOptions all{"hv1", {{"dc", "west 1"}}, config::all_measurements};
constexpr unsigned seed_four =
    config::m_vm_metrics | config::m_vm_features | config::m_vm_devices | config::m_vm_totals;

struct OldField {
    const char* measurement;
    const char* field;
    const char* type;
};

// Every field of the four measurements as field_catalog() listed them on main before issue 21 (SPEC §3:
// existing users' queries depend on them). Never edit this list: a field may be added, none changed.
constexpr OldField old_fields[] = {
    {"vm_metrics", "state", "integer"},         {"vm_metrics", "cpus", "integer"},
    {"vm_metrics", "maxmem", "integer"},        {"vm_metrics", "mem", "integer"},
    {"vm_metrics", "cputime", "integer"},       {"vm_features", "cpu_usage", "float"},
    {"vm_features", "memrate", "float"},        {"vm_features", "memangle", "float"},
    {"vm_features", "net_rxrate", "float"},     {"vm_features", "net_txrate", "float"},
    {"vm_features", "disk_rdrate", "float"},    {"vm_features", "disk_wrrate", "float"},
    {"vm_devices", "rxbytes", "integer"},       {"vm_devices", "rxpackets", "integer"},
    {"vm_devices", "rxerrors", "integer"},      {"vm_devices", "rxdrops", "integer"},
    {"vm_devices", "txbytes", "integer"},       {"vm_devices", "txpackets", "integer"},
    {"vm_devices", "txerrors", "integer"},      {"vm_devices", "txdrops", "integer"},
    {"vm_devices", "rd_req", "integer"},        {"vm_devices", "rd_bytes", "integer"},
    {"vm_devices", "wr_reqs", "integer"},       {"vm_devices", "wr_bytes", "integer"},
    {"vm_devices", "errors", "integer"},        {"vm_totals", "net_rxbytes", "integer"},
    {"vm_totals", "net_rxpackets", "integer"},  {"vm_totals", "net_rxerrors", "integer"},
    {"vm_totals", "net_rxdrops", "integer"},    {"vm_totals", "net_txbytes", "integer"},
    {"vm_totals", "net_txpackets", "integer"},  {"vm_totals", "net_txerrors", "integer"},
    {"vm_totals", "net_txdrops", "integer"},    {"vm_totals", "disk_rd_req", "integer"},
    {"vm_totals", "disk_rd_bytes", "integer"},  {"vm_totals", "disk_wr_reqs", "integer"},
    {"vm_totals", "disk_wr_bytes", "integer"},  {"vm_totals", "disk_errors", "integer"},
    {"vm_totals", "memactual", "integer"},      {"vm_totals", "memrss", "integer"},
    {"vm_totals", "memavailable", "integer"},   {"vm_totals", "memusable", "integer"},
    {"vm_totals", "memswap_in", "integer"},     {"vm_totals", "memswap_out", "integer"},
    {"vm_totals", "memmajor_fault", "integer"}, {"vm_totals", "memminor_fault", "integer"},
    {"vm_totals", "memdisk_cache", "integer"},  {"vm_totals", "timeusr", "integer"},
    {"vm_totals", "timesys", "integer"},        {"vm_totals", "cpus", "integer"},
    {"vm_totals", "cputime", "integer"},        {"vm_totals", "state", "integer"},
};

const char* type_of(const FieldValue& v)
{
    return std::holds_alternative<double>(v) ? "float" : "integer";
}

const Point* only(const std::vector<Point>& points, const std::string& measurement, const std::string& name,
                  const std::string& tag = "", const std::string& tag_value = "")
{
    const Point* found = nullptr;
    for (const auto& p : points) {
        const bool named = std::ranges::count(p.tags, Tag{"name", name}) > 0;
        const bool tagged = tag.empty() || std::ranges::count(p.tags, Tag{tag, tag_value}) > 0;
        if (p.measurement == measurement && named && tagged) {
            REQUIRE(found == nullptr);
            found = &p;
        }
    }
    REQUIRE(found != nullptr);
    return found;
}

const FieldValue& value(const Point& p, const std::string& key)
{
    const auto it = std::ranges::find_if(p.fields, [&](const Field& f) { return f.key == key; });
    REQUIRE(it != p.fields.end());
    return it->value;
}

std::uint64_t integer(const Point& p, const std::string& key)
{
    const auto* u = std::get_if<std::uint64_t>(&value(p, key));
    REQUIRE(u != nullptr);
    return *u;
}

}  // namespace

TEST_CASE("every field the seed's four measurements had is still there, with its type, in the catalog and the lines")
{
    const auto catalog = field_catalog();
    auto first = test_support::sample_snapshot();
    auto second = test_support::sample_snapshot_later();
    first.domains[0].disks[0].errors = 0;  // the fixture's disk reports no errors field
    second.domains[0].disks[0].errors = 0;
    auto points = measurements(first, nullptr, all);
    const auto later = measurements(second, &first, all);
    points.insert(points.end(), later.begin(), later.end());
    for (const auto& old : old_fields) {
        const std::string what = std::string(old.measurement) + "." + old.field;
        CAPTURE(what);
        const auto in_catalog = std::ranges::find_if(
            catalog, [&](const FieldInfo& f) { return f.measurement == old.measurement && f.field == old.field; });
        REQUIRE(in_catalog != catalog.end());
        CHECK(in_catalog->type == std::string_view(old.type));
        bool written = false;
        for (const auto& p : points)
            for (const auto& f : p.fields)
                if (p.measurement == old.measurement && f.key == old.field) {
                    written = true;
                    CHECK(type_of(f.value) == std::string_view(old.type));
                }
        CHECK(written);
    }
    // And vm_devices keeps its tags.
    const Point* disk = only(later, "vm_devices", "one-42", "device", "vda");
    CHECK(std::ranges::count(disk->tags, Tag{"devtype", "disk"}) == 1);
}

TEST_CASE("vm_devices disk lines carry the times, flushes and sizes; vm_totals their sums and the domain's new values")
{
    const auto points = measurements(test_support::sample_snapshot(), nullptr, all);
    const Point& disk = *only(points, "vm_devices", "one-42", "devtype", "disk");
    CHECK(integer(disk, "rd_times") == 5'000'000'000ull);
    CHECK(integer(disk, "wr_times") == 2'500'000'000ull);
    CHECK(integer(disk, "fl_req") == 5);
    CHECK(integer(disk, "fl_times") == 1'000'000ull);
    CHECK(integer(disk, "capacity") == 10737418240ull);
    CHECK(integer(disk, "allocation") == 1073741824);
    CHECK(integer(disk, "physical") == 1073741824);

    const Point& t = *only(points, "vm_totals", "one-42");
    CHECK(integer(t, "disk_rd_times") == 5'000'000'000ull);
    CHECK(integer(t, "disk_wr_times") == 2'500'000'000ull);
    CHECK(integer(t, "disk_fl_req") == 5);
    CHECK(integer(t, "disk_fl_times") == 1'000'000ull);
    CHECK(integer(t, "memunused") == 500000);
    CHECK(integer(t, "memhugetlb_pgalloc") == 1);
    CHECK(integer(t, "memhugetlb_pgfail") == 0);
    CHECK(integer(t, "memlast_update") == 1'699'999'990);
    CHECK(integer(t, "vcpu_wait") == 1'000'000ull);  // vCPU 1 reported none: not counted as 0
    CHECK(integer(t, "vcpu_delay") == 2'000'000ull);
    CHECK(integer(t, "maxvcpus") == 4);
    for (const char* size : {"disk_capacity", "disk_allocation", "disk_physical"})
        CHECK(std::ranges::none_of(t.fields, [&](const Field& f) { return f.key == size; }));
}

TEST_CASE("vm_vcpus: one point per vCPU, tagged with its index, without the values it did not report")
{
    const auto points = measurements(test_support::sample_snapshot(), nullptr, all);
    const Point& v0 = *only(points, "vm_vcpus", "one-42", "vcpu", "0");
    CHECK(integer(v0, "state") == 1);
    CHECK(integer(v0, "cputime") == 50'000'000'000ull);
    CHECK(integer(v0, "wait") == 1'000'000ull);
    CHECK(integer(v0, "delay") == 2'000'000ull);
    CHECK(integer(v0, "host_cpu") == 2);  // stats group vcpu_placement
    const Point& v1 = *only(points, "vm_vcpus", "one-42", "vcpu", "1");
    CHECK(v1.fields.size() == 3);  // state, cputime and host_cpu
    CHECK(std::ranges::count(v1.tags, Tag{"dc", "west 1"}) == 1);
    CHECK(std::ranges::count(v1.tags, Tag{"VMID", "42"}) == 1);
}

TEST_CASE("vm_devices: a disk's I/O limits that are set, as limit_ and libvirt's key, and none for a disk without")
{
    auto snap = test_support::sample_snapshot();
    collect::DiskSample plain = snap.domains[0].disks[0];
    plain.name = "vdb";
    plain.iotune = {};
    snap.domains[0].disks.push_back(plain);
    const auto points = measurements(snap, nullptr, all);
    const Point& vda = *only(points, "vm_devices", "one-42", "device", "vda");
    CHECK(integer(vda, "limit_total_bytes_sec") == 10485760);
    CHECK(integer(vda, "limit_read_iops_sec") == 200);
    CHECK(std::ranges::none_of(vda.fields, [](const Field& f) { return f.key == "limit_write_bytes_sec"; }));
    const Point& vdb = *only(points, "vm_devices", "one-42", "device", "vdb");
    CHECK(std::ranges::none_of(vdb.fields, [](const Field& f) { return f.key.starts_with("limit_"); }));
}

TEST_CASE("vm_extra: libvirt's names with every character but letters, digits and _ as _, as floats")
{
    const auto points = measurements(test_support::sample_snapshot(), nullptr, all);
    const Point& e = *only(points, "vm_extra", "one-42");
    REQUIRE(e.fields.size() == 3);
    CHECK(std::get<double>(value(e, "perf_cmt")) == 1234.0);
    CHECK(std::get<double>(value(e, "iothread_1_poll_max_ns")) == 32768.0);
    CHECK(std::get<double>(value(e, "cpu_cache_monitor_count")) == 0.0);
    // A domain whose groups reported nothing by name has no vm_extra line.
    for (const auto& p : points)
        if (p.measurement == "vm_extra") CHECK(std::ranges::count(p.tags, Tag{"name", "one-42"}) == 1);
}

TEST_CASE("push.measurements picks the measurements; the seed's four are the same lines either way")
{
    const auto first = test_support::sample_snapshot();
    const auto later = test_support::sample_snapshot_later();
    MeasurementOptions seed = all;
    seed.measurements = seed_four;
    std::vector<std::string> expected;
    for (const auto& line : measurement_lines(later, &first, all, Precision::ns))
        if (!line.starts_with("vm_vcpus,") && !line.starts_with("vm_extra,")) expected.push_back(line);
    CHECK(measurement_lines(later, &first, seed, Precision::ns) == expected);

    MeasurementOptions vcpus_only = all;
    vcpus_only.measurements = config::m_vm_vcpus;
    const auto points = measurements(later, &first, vcpus_only);
    REQUIRE(points.size() == 2);
    for (const auto& p : points) CHECK(p.measurement == "vm_vcpus");
}
