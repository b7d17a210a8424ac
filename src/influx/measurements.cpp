#include "influx/measurements.hpp"

#include <chrono>
#include <cmath>
#include <numbers>
#include <unordered_map>

#include "influx/point_builder.hpp"

namespace influx {
namespace {

using collect::DiskSample;
using collect::DomainSample;
using collect::NicSample;
using collect::OptU64;
using detail::add;
using detail::Builder;

// ---- The tables: one row per field. ----

// A value of the domain itself: vm_metrics, and the domain part of vm_totals.
using DomainRow = detail::ValueRow<DomainSample>;

OptU64 state_of(const DomainSample& d)
{
    return detail::non_negative(d.state.state);
}

// The sum over the devices (or vCPUs) that reported the field; empty when none did.
template <typename Sample>
OptU64 sum(const std::vector<Sample>& devices, OptU64 Sample::*member)
{
    OptU64 total;
    for (const auto& d : devices)
        if (d.*member) total = total.value_or(0) + *(d.*member);
    return total;
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
    // Added after the seed's fields (issue 21): every value /metrics has.
    {"memunused", [](const DomainSample& d) { return d.balloon.unused; }, "balloon.unused (KiB)"},
    {"memhugetlb_pgalloc", [](const DomainSample& d) { return d.balloon.hugetlb_pgalloc; }, "balloon.hugetlb_pgalloc"},
    {"memhugetlb_pgfail", [](const DomainSample& d) { return d.balloon.hugetlb_pgfail; }, "balloon.hugetlb_pgfail"},
    {"memlast_update",
     [](const DomainSample& d) {
         const auto t = d.balloon.last_update;
         return t && *t >= 0 ? OptU64(static_cast<std::uint64_t>(*t)) : std::nullopt;
     },
     "balloon.last-update (seconds since the epoch)"},
    {"vcpu_wait", [](const DomainSample& d) { return sum(d.vcpus, &collect::VcpuSample::wait); },
     "sum of vcpu.N.wait (ns)"},
    {"vcpu_delay", [](const DomainSample& d) { return sum(d.vcpus, &collect::VcpuSample::delay); },
     "sum of vcpu.N.delay (ns)"},
    {"maxvcpus", [](const DomainSample& d) { return d.vcpu.maximum; }, "vcpu.maximum"},
};

// The running job's values on vm_metrics (virDomainGetJobStats, libvirt's names and units); a domain
// without a job has none of them.
using detail::non_negative;
using Job = collect::JobSample;
constexpr detail::ValueRow<Job> job_rows[] = {
    {"job_type", [](const Job& j) { return non_negative(j.type); }, "virDomainGetJobStats type (virDomainJobType)"},
    {"job_operation", [](const Job& j) { return non_negative(j.operation); }, "operation (virDomainJobOperation)"},
    {"job_time_elapsed", [](const Job& j) { return j.time_elapsed; }, "time_elapsed (ms)"},
    {"job_time_remaining", [](const Job& j) { return j.time_remaining; }, "time_remaining (ms)"},
    {"job_downtime", [](const Job& j) { return j.downtime; }, "downtime (ms)"},
    {"job_data_total", [](const Job& j) { return j.data_total; }, "data_total (bytes)"},
    {"job_data_processed", [](const Job& j) { return j.data_processed; }, "data_processed (bytes)"},
    {"job_data_remaining", [](const Job& j) { return j.data_remaining; }, "data_remaining (bytes)"},
    {"job_memory_total", [](const Job& j) { return j.memory_total; }, "memory_total (bytes)"},
    {"job_memory_processed", [](const Job& j) { return j.memory_processed; }, "memory_processed (bytes)"},
    {"job_memory_remaining", [](const Job& j) { return j.memory_remaining; }, "memory_remaining (bytes)"},
    {"job_memory_bps", [](const Job& j) { return j.memory_bps; }, "memory_bps (bytes/s)"},
    {"job_memory_dirty_rate", [](const Job& j) { return j.memory_dirty_rate; }, "memory_dirty_rate (pages/s)"},
    {"job_memory_page_size", [](const Job& j) { return j.memory_page_size; }, "memory_page_size (bytes)"},
    {"job_memory_iteration", [](const Job& j) { return j.memory_iteration; }, "memory_iteration"},
    {"job_disk_total", [](const Job& j) { return j.disk_total; }, "disk_total (bytes)"},
    {"job_disk_processed", [](const Job& j) { return j.disk_processed; }, "disk_processed (bytes)"},
    {"job_disk_remaining", [](const Job& j) { return j.disk_remaining; }, "disk_remaining (bytes)"},
    {"job_disk_bps", [](const Job& j) { return j.disk_bps; }, "disk_bps (bytes/s)"},
};

// A device value: a vm_devices field, and under `total` (when not null) its sum in vm_totals.
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
    // Added after the seed's fields (issue 21).
    {"rd_times", "disk_rd_times", &DiskSample::rd_times, "block.N.rd.times (ns)"},
    {"wr_times", "disk_wr_times", &DiskSample::wr_times, "block.N.wr.times (ns)"},
    {"fl_req", "disk_fl_req", &DiskSample::fl_reqs, "block.N.fl.reqs"},
    {"fl_times", "disk_fl_times", &DiskSample::fl_times, "block.N.fl.times (ns)"},
    {"capacity", nullptr, &DiskSample::capacity, "block.N.capacity (bytes)"},
    {"allocation", nullptr, &DiskSample::allocation, "block.N.allocation (bytes)"},
    {"physical", nullptr, &DiskSample::physical, "block.N.physical (bytes)"},
};

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

template <typename Sample, std::size_t N>
Point& add_device(Builder& b, const DomainSample& d, const char* devtype, const Sample& dev,
                  const DeviceRow<Sample> (&rows)[N])
{
    Point& p = b.point("vm_devices", d, {{"devtype", devtype}, {"device", dev.name}});
    for (const auto& row : rows) add(p, row.field, dev.*row.member);
    return p;
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
    out.reserve(current.domains.size() * 8);
    Builder b(options, ts.count(), out);
    for (const DomainSample& d : current.domains) {
        if (b.wanted(config::m_vm_metrics)) {
            Point& m = b.point("vm_metrics", d);
            for (const auto& row : metrics_rows) add(m, row.field, row.get(d));
            if (d.job)
                for (const auto& row : job_rows) add(m, row.field, row.get(*d.job));
        }

        if (const auto it = before.find(d.uuid); it != before.end() && b.wanted(config::m_vm_features)) {
            Point& f = b.point("vm_features", d);
            for (const auto& row : rate_rows)
                if (const auto r = rate(row, d, *it->second, elapsed)) f.fields.push_back({row.field, *r});
        }

        if (b.wanted(config::m_vm_devices)) {
            for (const auto& nic : d.nics) add_device(b, d, "nic", nic, nic_rows);
            for (const auto& disk : d.disks) detail::add_iotune_fields(add_device(b, d, "disk", disk, disk_rows), disk);
        }

        if (b.wanted(config::m_vm_totals)) {
            Point& t = b.point("vm_totals", d);
            for (const auto& row : nic_rows) add(t, row.total, sum(d.nics, row.member));
            for (const auto& row : disk_rows)
                if (row.total) add(t, row.total, sum(d.disks, row.member));
            for (const auto& row : totals_domain_rows) add(t, row.field, row.get(d));
        }

        detail::add_vcpu_points(b, d);
        detail::add_extra_point(b, d);
    }
    std::erase_if(out, [](const Point& p) { return p.fields.empty(); });
    return out;
}

std::vector<std::string> measurement_lines(const collect::Snapshot& current, const collect::Snapshot* previous,
                                           const MeasurementOptions& options, Precision precision)
{
    std::vector<std::string> lines;
    append_lines(measurements(current, previous, options), precision, lines);
    return lines;
}

std::vector<FieldInfo> field_catalog()
{
    std::vector<FieldInfo> out;
    for (const auto& r : metrics_rows) out.push_back({"vm_metrics", r.field, "integer", r.source});
    for (const auto& r : job_rows)
        out.push_back({"vm_metrics", r.field, "integer", std::string("while a job runs: ") + r.source});
    for (const auto& r : rate_rows) out.push_back({"vm_features", r.field, "float", r.source});
    for (const auto& r : nic_rows) out.push_back({"vm_devices", r.field, "integer", r.source});
    for (const auto& r : disk_rows) out.push_back({"vm_devices", r.field, "integer", r.source});
    detail::iotune_catalog(out);
    for (const auto& r : nic_rows) out.push_back({"vm_totals", r.total, "integer", std::string("sum of ") + r.source});
    for (const auto& r : disk_rows)
        if (r.total) out.push_back({"vm_totals", r.total, "integer", std::string("sum of ") + r.source});
    for (const auto& r : totals_domain_rows) out.push_back({"vm_totals", r.field, "integer", r.source});
    detail::vcpu_extra_catalog(out);
    return out;
}

}  // namespace influx
