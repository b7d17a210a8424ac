#include "influx/measurements.hpp"

#include <chrono>
#include <cmath>
#include <numbers>
#include <unordered_map>

namespace influx {
namespace {

using collect::DiskSample;
using collect::DomainSample;
using collect::NicSample;
using collect::OptU64;

// ---- The tables: one row per field. ----

// A value of the domain itself: vm_metrics, and the domain part of vm_totals.
struct DomainRow {
    const char* field;
    OptU64 (*get)(const DomainSample&);
    const char* source;
};

OptU64 state_of(const DomainSample& d)
{
    return d.state.state && *d.state.state >= 0 ? OptU64(static_cast<std::uint64_t>(*d.state.state)) : std::nullopt;
}

constexpr DomainRow metrics_rows[] = {
    {"state", state_of, "state.state (virDomainState)"},
    {"cpus", [](const DomainSample& d) { return d.vcpu.current; }, "vcpu.current"},
    {"maxmem", [](const DomainSample& d) { return d.balloon.maximum; }, "balloon.maximum (KiB)"},
    {"mem", [](const DomainSample& d) { return d.balloon.current; }, "balloon.current (KiB)"},
    {"cputime", [](const DomainSample& d) { return d.cpu.time; }, "cpu.time (ns)"},
};

constexpr DomainRow totals_domain_rows[] = {
    {"memactual", [](const DomainSample& d) { return d.balloon.current; }, "balloon.current (KiB)"},
    {"memrss", [](const DomainSample& d) { return d.balloon.rss; }, "balloon.rss (KiB)"},
    {"memavailable", [](const DomainSample& d) { return d.balloon.available; }, "balloon.available (KiB)"},
    {"memusable", [](const DomainSample& d) { return d.balloon.usable; }, "balloon.usable (KiB)"},
    {"memswap_in", [](const DomainSample& d) { return d.balloon.swap_in; }, "balloon.swap_in (KiB)"},
    {"memswap_out", [](const DomainSample& d) { return d.balloon.swap_out; }, "balloon.swap_out (KiB)"},
    {"memmajor_fault", [](const DomainSample& d) { return d.balloon.major_fault; }, "balloon.major_fault"},
    {"memminor_fault", [](const DomainSample& d) { return d.balloon.minor_fault; }, "balloon.minor_fault"},
    {"memdisk_cache", [](const DomainSample& d) { return d.balloon.disk_caches; }, "balloon.disk_caches (KiB)"},
    {"timeusr", [](const DomainSample& d) { return d.cpu.user; }, "cpu.user (ns)"},
    {"timesys", [](const DomainSample& d) { return d.cpu.system; }, "cpu.system (ns)"},
    {"cpus", [](const DomainSample& d) { return d.vcpu.current; }, "vcpu.current"},
    {"cputime", [](const DomainSample& d) { return d.cpu.time; }, "cpu.time (ns)"},
    {"state", state_of, "state.state (virDomainState)"},
};

// A device counter: a vm_devices field, and under `total` its sum in vm_totals.
template <typename Sample>
struct DeviceRow {
    const char* field;
    const char* total;
    OptU64 Sample::*member;
    const char* source;
};

constexpr DeviceRow<NicSample> nic_rows[] = {
    {"rxbytes", "net_rxbytes", &NicSample::rx_bytes, "net.N.rx.bytes"},
    {"rxpackets", "net_rxpackets", &NicSample::rx_pkts, "net.N.rx.pkts"},
    {"rxerrors", "net_rxerrors", &NicSample::rx_errs, "net.N.rx.errs"},
    {"rxdrops", "net_rxdrops", &NicSample::rx_drop, "net.N.rx.drop"},
    {"txbytes", "net_txbytes", &NicSample::tx_bytes, "net.N.tx.bytes"},
    {"txpackets", "net_txpackets", &NicSample::tx_pkts, "net.N.tx.pkts"},
    {"txerrors", "net_txerrors", &NicSample::tx_errs, "net.N.tx.errs"},
    {"txdrops", "net_txdrops", &NicSample::tx_drop, "net.N.tx.drop"},
};

constexpr DeviceRow<DiskSample> disk_rows[] = {
    {"rd_req", "disk_rd_req", &DiskSample::rd_reqs, "block.N.rd.reqs"},
    {"rd_bytes", "disk_rd_bytes", &DiskSample::rd_bytes, "block.N.rd.bytes"},
    {"wr_reqs", "disk_wr_reqs", &DiskSample::wr_reqs, "block.N.wr.reqs"},
    {"wr_bytes", "disk_wr_bytes", &DiskSample::wr_bytes, "block.N.wr.bytes"},
    {"errors", "disk_errors", &DiskSample::errors, "block.N.errors"},
};

// The sum over the devices that reported the field; empty when none did.
template <typename Sample>
OptU64 sum(const std::vector<Sample>& devices, OptU64 Sample::*member)
{
    OptU64 total;
    for (const auto& d : devices)
        if (d.*member) total = total.value_or(0) + *(d.*member);
    return total;
}

// A vm_features rate: the change of a domain value per unit of elapsed time.
enum class Per { ns, s };
enum class Kind { counter, gauge };  // a counter that went backwards was reset: no rate

struct RateRow {
    const char* field;
    OptU64 (*get)(const DomainSample&);
    Per per;
    Kind kind;
    double (*then)(double);  // applied to the rate, or null
    const char* source;
};

double atan_degrees(double x)
{
    return std::atan(x) * 180.0 / std::numbers::pi;
}

constexpr RateRow rate_rows[] = {
    {"cpu_usage", [](const DomainSample& d) { return d.cpu.time; }, Per::ns, Kind::counter, nullptr,
     "Δcpu.time / Δt (cores busy)"},
    {"memrate", [](const DomainSample& d) { return d.balloon.rss; }, Per::s, Kind::gauge, nullptr,
     "Δballoon.rss / Δt (KiB/s)"},
    {"memangle", [](const DomainSample& d) { return d.balloon.rss; }, Per::s, Kind::gauge, atan_degrees,
     "atan(memrate) (degrees)"},
    {"net_rxrate", [](const DomainSample& d) { return sum(d.nics, &NicSample::rx_bytes); }, Per::s, Kind::counter,
     nullptr, "Δ sum of net.N.rx.bytes / Δt (bytes/s)"},
    {"net_txrate", [](const DomainSample& d) { return sum(d.nics, &NicSample::tx_bytes); }, Per::s, Kind::counter,
     nullptr, "Δ sum of net.N.tx.bytes / Δt (bytes/s)"},
    {"disk_rdrate", [](const DomainSample& d) { return sum(d.disks, &DiskSample::rd_bytes); }, Per::s, Kind::counter,
     nullptr, "Δ sum of block.N.rd.bytes / Δt (bytes/s)"},
    {"disk_wrrate", [](const DomainSample& d) { return sum(d.disks, &DiskSample::wr_bytes); }, Per::s, Kind::counter,
     nullptr, "Δ sum of block.N.wr.bytes / Δt (bytes/s)"},
};

// ---- Building the points. ----

std::optional<double> rate(const RateRow& row, const DomainSample& now, const DomainSample& before,
                           std::chrono::nanoseconds elapsed)
{
    const OptU64 a = row.get(now), b = row.get(before);
    if (!a || !b) return std::nullopt;
    // Subtract as integers: counters near 2^64 would lose the difference in a double.
    double delta = 0;
    if (*a >= *b)
        delta = static_cast<double>(*a - *b);
    else if (row.kind == Kind::counter)
        return std::nullopt;
    else
        delta = -static_cast<double>(*b - *a);
    const double ns = static_cast<double>(elapsed.count());
    const double r = row.per == Per::ns ? delta / ns : delta / (ns / 1e9);
    return row.then ? row.then(r) : r;
}

class Builder {
public:
    Builder(const MeasurementOptions& options, std::int64_t timestamp_ns, std::vector<Point>& out)
        : options_(options), ts_(timestamp_ns), out_(out)
    {
    }

    // A point with the domain's tags (and the device's, if any); extra tags come last so that an extra
    // tag never replaces an identity tag.
    Point& point(const char* measurement, const DomainSample& d, const char* devtype = nullptr,
                 const std::string* device = nullptr)
    {
        Point& p = out_.emplace_back();
        p.measurement = measurement;
        p.timestamp_ns = ts_;
        p.tags = {{"VMID", d.vmid}, {"name", d.name}, {"uuid", d.uuid}, {"host", options_.host}};
        if (devtype) {
            p.tags.push_back({"devtype", devtype});
            p.tags.push_back({"device", *device});
        }
        for (const auto& [k, v] : options_.extra_tags) p.tags.push_back({k, v});
        return p;
    }

private:
    const MeasurementOptions& options_;
    std::int64_t ts_;
    std::vector<Point>& out_;
};

void add(Point& p, const char* field, OptU64 value)
{
    if (value) p.fields.push_back({field, *value});
}

template <typename Sample, std::size_t N>
void add_device(Builder& b, const DomainSample& d, const char* devtype, const Sample& dev,
                const DeviceRow<Sample> (&rows)[N])
{
    Point& p = b.point("vm_devices", d, devtype, &dev.name);
    for (const auto& row : rows) add(p, row.field, dev.*row.member);
}

}  // namespace

std::vector<Point> measurements(const collect::Snapshot& current, const collect::Snapshot* previous,
                                const MeasurementOptions& options)
{
    const auto ts = std::chrono::duration_cast<std::chrono::nanoseconds>(current.taken_at.time_since_epoch());
    std::unordered_map<std::string_view, const DomainSample*> before;
    std::chrono::nanoseconds elapsed{0};
    if (previous && previous->taken_at < current.taken_at) {
        elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(current.taken_at - previous->taken_at);
        for (const auto& d : previous->domains)
            if (!d.uuid.empty()) before.emplace(d.uuid, &d);
    }

    std::vector<Point> out;
    out.reserve(current.domains.size() * 4);
    Builder b(options, ts.count(), out);
    for (const DomainSample& d : current.domains) {
        Point& m = b.point("vm_metrics", d);
        for (const auto& row : metrics_rows) add(m, row.field, row.get(d));

        if (const auto it = before.find(d.uuid); it != before.end()) {
            Point& f = b.point("vm_features", d);
            for (const auto& row : rate_rows)
                if (const auto r = rate(row, d, *it->second, elapsed)) f.fields.push_back({row.field, *r});
        }

        for (const auto& nic : d.nics) add_device(b, d, "nic", nic, nic_rows);
        for (const auto& disk : d.disks) add_device(b, d, "disk", disk, disk_rows);

        Point& t = b.point("vm_totals", d);
        for (const auto& row : nic_rows) add(t, row.total, sum(d.nics, row.member));
        for (const auto& row : disk_rows) add(t, row.total, sum(d.disks, row.member));
        for (const auto& row : totals_domain_rows) add(t, row.field, row.get(d));
    }
    std::erase_if(out, [](const Point& p) { return p.fields.empty(); });
    return out;
}

std::vector<std::string> measurement_lines(const collect::Snapshot& current, const collect::Snapshot* previous,
                                           const MeasurementOptions& options, Precision precision)
{
    const std::vector<Point> points = measurements(current, previous, options);
    std::vector<std::string> lines;
    lines.reserve(points.size());
    for (const auto& p : points) {
        std::string line;
        if (encode(p, precision, line)) lines.push_back(std::move(line));
    }
    return lines;
}

std::vector<FieldInfo> field_catalog()
{
    std::vector<FieldInfo> out;
    for (const auto& r : metrics_rows) out.push_back({"vm_metrics", r.field, "integer", r.source});
    for (const auto& r : rate_rows) out.push_back({"vm_features", r.field, "float", r.source});
    for (const auto& r : nic_rows) out.push_back({"vm_devices", r.field, "integer", r.source});
    for (const auto& r : disk_rows) out.push_back({"vm_devices", r.field, "integer", r.source});
    for (const auto& r : nic_rows) out.push_back({"vm_totals", r.total, "integer", std::string("sum of ") + r.source});
    for (const auto& r : disk_rows) out.push_back({"vm_totals", r.total, "integer", std::string("sum of ") + r.source});
    for (const auto& r : totals_domain_rows) out.push_back({"vm_totals", r.field, "integer", r.source});
    return out;
}

}  // namespace influx
