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

template <typename Sample>
struct DeviceField {
    const char* name;
    OptU64 Sample::*member;
};

// vm_devices fields and, prefixed, vm_totals sums.
constexpr DeviceField<NicSample> nic_fields[] = {
    {"rxbytes", &NicSample::rx_bytes}, {"rxpackets", &NicSample::rx_pkts}, {"rxerrors", &NicSample::rx_errs},
    {"rxdrops", &NicSample::rx_drop},  {"txbytes", &NicSample::tx_bytes},  {"txpackets", &NicSample::tx_pkts},
    {"txerrors", &NicSample::tx_errs}, {"txdrops", &NicSample::tx_drop},
};
constexpr DeviceField<DiskSample> disk_fields[] = {
    {"rd_req", &DiskSample::rd_reqs}, {"rd_bytes", &DiskSample::rd_bytes}, {"wr_reqs", &DiskSample::wr_reqs},
    {"wr_bytes", &DiskSample::wr_bytes}, {"errors", &DiskSample::errors},
};

struct DomainField {
    const char* name;
    OptU64 (*get)(const DomainSample&);
};

OptU64 state_of(const DomainSample& d)
{
    return d.state.state && *d.state.state >= 0 ? OptU64(*d.state.state) : std::nullopt;
}

constexpr DomainField metrics_fields[] = {
    {"state", state_of},
    {"cpus", [](const DomainSample& d) { return d.vcpu.current; }},
    {"maxmem", [](const DomainSample& d) { return d.balloon.maximum; }},
    {"mem", [](const DomainSample& d) { return d.balloon.current; }},
    {"cputime", [](const DomainSample& d) { return d.cpu.time; }},
};

constexpr DomainField totals_fields[] = {
    {"memactual", [](const DomainSample& d) { return d.balloon.current; }},
    {"memrss", [](const DomainSample& d) { return d.balloon.rss; }},
    {"memavailable", [](const DomainSample& d) { return d.balloon.available; }},
    {"memusable", [](const DomainSample& d) { return d.balloon.usable; }},
    {"memswap_in", [](const DomainSample& d) { return d.balloon.swap_in; }},
    {"memswap_out", [](const DomainSample& d) { return d.balloon.swap_out; }},
    {"memmajor_fault", [](const DomainSample& d) { return d.balloon.major_fault; }},
    {"memminor_fault", [](const DomainSample& d) { return d.balloon.minor_fault; }},
    {"memdisk_cache", [](const DomainSample& d) { return d.balloon.disk_caches; }},
    {"timeusr", [](const DomainSample& d) { return d.cpu.user; }},
    {"timesys", [](const DomainSample& d) { return d.cpu.system; }},
    {"cpus", [](const DomainSample& d) { return d.vcpu.current; }},
    {"cputime", [](const DomainSample& d) { return d.cpu.time; }},
    {"state", state_of},
};

template <typename Sample>
OptU64 sum(const std::vector<Sample>& devices, OptU64 Sample::*member)
{
    OptU64 total;
    for (const auto& d : devices)
        if (d.*member) total = total.value_or(0) + *(d.*member);
    return total;
}

std::int64_t as_field(std::uint64_t v) { return static_cast<std::int64_t>(std::min<std::uint64_t>(v, INT64_MAX)); }

std::optional<double> rate(OptU64 now, OptU64 before, double seconds)
{
    if (!now || !before || *now < *before || seconds <= 0) return std::nullopt;
    return static_cast<double>(*now - *before) / seconds;
}

std::vector<std::pair<std::string, std::string>> tags_of(const DomainSample& d, const MeasurementOptions& o)
{
    std::vector<std::pair<std::string, std::string>> tags{{"VMID", d.vmid}, {"name", d.name}, {"uuid", d.uuid}};
    if (!o.host.empty()) tags.emplace_back("host", o.host);
    for (const auto& [k, v] : o.extra_tags) tags.emplace_back(k, v);
    return tags;
}

void add(Point& p, const char* name, OptU64 v)
{
    if (v) p.fields.emplace_back(name, as_field(*v));
}

void add(Point& p, const char* name, std::optional<double> v)
{
    if (v) p.fields.emplace_back(name, *v);
}

void features(const DomainSample& d, const DomainSample& prev, double secs, Point& p)
{
    if (const auto cpu = rate(d.cpu.time, prev.cpu.time, secs)) p.fields.emplace_back("cpu_usage", *cpu / 1e9);
    if (d.balloon.rss && prev.balloon.rss && secs > 0) {
        // rss may shrink, so this rate is signed; memangle is its angle in degrees.
        const double memrate = (static_cast<double>(*d.balloon.rss) - static_cast<double>(*prev.balloon.rss)) / secs;
        p.fields.emplace_back("memrate", memrate);
        p.fields.emplace_back("memangle", std::atan(memrate) * 180.0 / std::numbers::pi);
    }
    const auto device_rate = [&](const auto& now, const auto& then, auto member) {
        return rate(sum(now, member), sum(then, member), secs);
    };
    add(p, "net_rxrate", device_rate(d.nics, prev.nics, &NicSample::rx_bytes));
    add(p, "net_txrate", device_rate(d.nics, prev.nics, &NicSample::tx_bytes));
    add(p, "disk_rdrate", device_rate(d.disks, prev.disks, &DiskSample::rd_bytes));
    add(p, "disk_wrrate", device_rate(d.disks, prev.disks, &DiskSample::wr_bytes));
}

}  // namespace

std::vector<Point> measurements(const collect::Snapshot& current, const collect::Snapshot* previous,
                                const MeasurementOptions& options)
{
    const std::int64_t ts =
        std::chrono::duration_cast<std::chrono::nanoseconds>(current.taken_at.time_since_epoch()).count();
    std::unordered_map<std::string, const DomainSample*> before;
    double secs = 0;
    if (previous) {
        secs = std::chrono::duration<double>(current.taken_at - previous->taken_at).count();
        for (const auto& d : previous->domains) before[d.uuid] = &d;
    }
    std::vector<Point> out;
    out.reserve(current.domains.size() * 6);
    auto point = [&](const char* measurement, const DomainSample& d) -> Point& {
        out.push_back(Point{measurement, tags_of(d, options), {}, ts});
        return out.back();
    };
    for (const auto& d : current.domains) {
        Point& m = point("vm_metrics", d);
        for (const auto& f : metrics_fields) add(m, f.name, f.get(d));

        if (const auto it = before.find(d.uuid); it != before.end()) features(d, *it->second, secs, point("vm_features", d));

        for (const auto& n : d.nics) {
            Point& p = point("vm_devices", d);
            p.tags.emplace_back("devtype", "nic");
            p.tags.emplace_back("device", n.name);
            for (const auto& f : nic_fields) add(p, f.name, n.*f.member);
        }
        for (const auto& b : d.disks) {
            Point& p = point("vm_devices", d);
            p.tags.emplace_back("devtype", "disk");
            p.tags.emplace_back("device", b.name);
            for (const auto& f : disk_fields) add(p, f.name, b.*f.member);
        }

        Point& t = point("vm_totals", d);
        for (const auto& f : nic_fields) add(t, (std::string("net_") + f.name).c_str(), sum(d.nics, f.member));
        for (const auto& f : disk_fields) add(t, (std::string("disk_") + f.name).c_str(), sum(d.disks, f.member));
        for (const auto& f : totals_fields) add(t, f.name, f.get(d));
    }
    std::erase_if(out, [](const Point& p) { return p.fields.empty(); });
    return out;
}

std::vector<std::string> measurement_lines(const collect::Snapshot& current, const collect::Snapshot* previous,
                                           const MeasurementOptions& options, Precision precision)
{
    std::vector<std::string> lines;
    for (const auto& p : measurements(current, previous, options))
        if (auto line = encode(p, precision)) lines.push_back(std::move(*line));
    return lines;
}

}  // namespace influx
