#include "collect/stats_parser.hpp"

#include <charconv>
#include <cmath>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace collect {
namespace {

using virt::TypedValue;

// A hostile or corrupt record must not make us allocate millions of devices.
constexpr std::size_t max_device_index = 4096;

OptU64 as_u64(const TypedValue& v)
{
    if (const auto* u = std::get_if<std::uint64_t>(&v)) return *u;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i >= 0 ? OptU64(*i) : std::nullopt;
    if (const auto* d = std::get_if<double>(&v))
        if (std::isfinite(*d) && *d >= 0 && *d < 1.8e19) return static_cast<std::uint64_t>(*d);
    return std::nullopt;
}

OptI64 as_i64(const TypedValue& v)
{
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* u = std::get_if<std::uint64_t>(&v))
        if (*u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(*u);
    return std::nullopt;
}

std::optional<int> as_int(const TypedValue& v)
{
    const auto i = as_i64(v);
    if (i && *i >= INT32_MIN && *i <= INT32_MAX) return static_cast<int>(*i);
    return std::nullopt;
}

std::optional<double> as_double(const TypedValue& v)
{
    if (const auto* d = std::get_if<double>(&v)) return std::isfinite(*d) ? std::optional(*d) : std::nullopt;
    if (const auto* u = std::get_if<std::uint64_t>(&v)) return static_cast<double>(*u);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    return std::nullopt;
}

// Splits "<index>.<rest>" off a device/vCPU field; false when it is not of that form.
bool split_index(std::string_view field, std::size_t& index, std::string_view& rest)
{
    const auto dot = field.find('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    const auto* end = field.data() + dot;
    const auto [ptr, ec] = std::from_chars(field.data(), end, index);
    if (ec != std::errc() || ptr != end || index >= max_device_index) return false;
    rest = field.substr(dot + 1);
    return true;
}

template <typename T>
T& slot(std::vector<std::optional<T>>& items, std::size_t index)
{
    if (items.size() <= index) items.resize(index + 1);
    if (!items[index]) items[index].emplace();
    return *items[index];
}

template <typename T, typename Fields>
bool set_field(T& target, const Fields& fields, std::string_view name, const TypedValue& v)
{
    for (const auto& [field_name, member] : fields) {
        if (field_name == name) {
            target.*member = as_u64(v);
            return true;
        }
    }
    return false;
}

constexpr std::pair<std::string_view, OptU64 NicSample::*> nic_fields[] = {
    {"rx.bytes", &NicSample::rx_bytes}, {"rx.pkts", &NicSample::rx_pkts},   {"rx.errs", &NicSample::rx_errs},
    {"rx.drop", &NicSample::rx_drop},   {"tx.bytes", &NicSample::tx_bytes}, {"tx.pkts", &NicSample::tx_pkts},
    {"tx.errs", &NicSample::tx_errs},   {"tx.drop", &NicSample::tx_drop},
};

constexpr std::pair<std::string_view, OptU64 DiskSample::*> disk_fields[] = {
    {"rd.reqs", &DiskSample::rd_reqs},       {"rd.bytes", &DiskSample::rd_bytes}, {"rd.times", &DiskSample::rd_times},
    {"wr.reqs", &DiskSample::wr_reqs},       {"wr.bytes", &DiskSample::wr_bytes}, {"wr.times", &DiskSample::wr_times},
    {"fl.reqs", &DiskSample::fl_reqs},       {"fl.times", &DiskSample::fl_times}, {"errors", &DiskSample::errors},
    {"allocation", &DiskSample::allocation}, {"capacity", &DiskSample::capacity}, {"physical", &DiskSample::physical},
};

constexpr std::pair<std::string_view, OptU64 BalloonStats::*> balloon_fields[] = {
    {"current", &BalloonStats::current},
    {"maximum", &BalloonStats::maximum},
    {"swap_in", &BalloonStats::swap_in},
    {"swap_out", &BalloonStats::swap_out},
    {"major_fault", &BalloonStats::major_fault},
    {"minor_fault", &BalloonStats::minor_fault},
    {"unused", &BalloonStats::unused},
    {"available", &BalloonStats::available},
    {"usable", &BalloonStats::usable},
    {"rss", &BalloonStats::rss},
    {"disk_caches", &BalloonStats::disk_caches},
    {"hugetlb_pgalloc", &BalloonStats::hugetlb_pgalloc},
    {"hugetlb_pgfail", &BalloonStats::hugetlb_pgfail},
};

constexpr std::pair<std::string_view, OptU64 VcpuSample::*> vcpu_fields[] = {
    {"time", &VcpuSample::time}, {"wait", &VcpuSample::wait}, {"delay", &VcpuSample::delay}};

constexpr std::pair<std::string_view, OptU64 CpuStats::*> cpu_fields[] = {
    {"time", &CpuStats::time}, {"user", &CpuStats::user}, {"system", &CpuStats::system}};

struct PartialDisk {
    DiskSample disk;
    bool has_backing_index = false;
};

class RecordParser {
public:
    explicit RecordParser(const virt::DomainStatsRecord& r)
    {
        sample_.name = r.domain.name;
        sample_.uuid = r.domain.uuid;
        sample_.id = r.domain.id;
        for (const auto& p : r.params) apply(p.field, p.value);
    }

    DomainSample finish() &&
    {
        // For a domain that is not running, libvirt (9.0, QEMU driver) reads cpu.time/user/system from
        // libvirtd's own process: numbers about the daemon, not the guest. Keep none of them.
        if (sample_.id < 0) sample_.cpu = CpuStats{};
        for (auto& v : vcpus_)
            if (v) sample_.vcpus.push_back(*v);
        finish_devices(nics_, sample_.nics);
        finish_devices(disks_, sample_.disks);
        return std::move(sample_);
    }

private:
    void apply(std::string_view f, const TypedValue& v)
    {
        if (take_prefix(f, "state.")) {
            if (f == "state")
                sample_.state.state = as_int(v);
            else if (f == "reason")
                sample_.state.reason = as_int(v);
            return;
        }
        if (take_prefix(f, "cpu.")) {
            if (!set_field(sample_.cpu, cpu_fields, f, v)) extra("cpu.", f, v);  // haltpoll, cache.*
            return;
        }
        if (take_prefix(f, "balloon.")) {
            if (f == "last-update")
                sample_.balloon.last_update = as_i64(v);
            else if (!set_field(sample_.balloon, balloon_fields, f, v))
                extra("balloon.", f, v);
            return;
        }
        if (take_prefix(f, "vcpu.")) return apply_vcpu(f, v);
        if (take_prefix(f, "net.")) return apply_nic(f, v);
        if (take_prefix(f, "block.")) return apply_disk(f, v);
        extra("", f, v);
    }

    void apply_vcpu(std::string_view f, const TypedValue& v)
    {
        std::size_t index = 0;
        std::string_view rest;
        if (f == "current")
            sample_.vcpu.current = as_u64(v);
        else if (f == "maximum")
            sample_.vcpu.maximum = as_u64(v);
        else if (split_index(f, index, rest)) {
            auto& vcpu = slot(vcpus_, index);
            vcpu.index = static_cast<unsigned>(index);
            if (rest == "state")
                vcpu.state = as_int(v);
            else if (!set_field(vcpu, vcpu_fields, rest, v))
                extra("vcpu.", f, v);
        }
    }

    void apply_nic(std::string_view f, const TypedValue& v)
    {
        std::size_t index = 0;
        std::string_view rest;
        if (f == "count")
            sample_.nic_count = as_u64(v);
        else if (split_index(f, index, rest)) {
            auto& nic = slot(nics_, index);
            if (rest == "name")
                nic.name = string_of(v);
            else
                set_field(nic, nic_fields, rest, v);
        }
    }

    void apply_disk(std::string_view f, const TypedValue& v)
    {
        std::size_t index = 0;
        std::string_view rest;
        if (f == "count")
            sample_.disk_count = as_u64(v);
        else if (split_index(f, index, rest)) {
            auto& entry = slot(disks_, index);
            if (rest == "name")
                entry.disk.name = string_of(v);
            else if (rest == "path")
                entry.disk.path = string_of(v);
            else if (rest == "backingIndex")
                entry.has_backing_index = true;
            else
                set_field(entry.disk, disk_fields, rest, v);
        }
    }

    static bool take_prefix(std::string_view& f, std::string_view prefix)
    {
        if (!f.starts_with(prefix)) return false;
        f.remove_prefix(prefix.size());
        return true;
    }

    static std::string string_of(const TypedValue& v)
    {
        const auto* s = std::get_if<std::string>(&v);
        return s ? *s : std::string();
    }

    void extra(std::string_view prefix, std::string_view f, const TypedValue& v)
    {
        if (const auto d = as_double(v)) sample_.extra.push_back({std::string(prefix) + std::string(f), *d});
    }

    static NicSample& device(NicSample& n) { return n; }
    static DiskSample& device(PartialDisk& d) { return d.disk; }
    // With VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING the images below a disk follow it under the same
    // name. QEMU reports backingIndex for the top image too, so only a repeat of a name is a layer.
    static bool backing_layer(const NicSample&, const std::unordered_set<std::string>&) { return false; }
    static bool backing_layer(const PartialDisk& d, const std::unordered_set<std::string>& seen)
    {
        return d.has_backing_index && seen.contains(d.disk.name);
    }

    template <typename Partial, typename Sample>
    void finish_devices(std::vector<std::optional<Partial>>& partials, std::vector<Sample>& out)
    {
        std::unordered_set<std::string> seen;
        for (std::size_t i = 0; i < partials.size(); ++i) {
            if (!partials[i] || backing_layer(*partials[i], seen)) continue;
            Sample& dev = device(*partials[i]);
            if (dev.name.empty()) {
                ++sample_.skipped_devices;  // e.g. a NIC of type user: counted, but nothing to label
                continue;
            }
            if (!seen.insert(dev.name).second) {
                dev.name += "#" + std::to_string(i);
                if (!seen.insert(dev.name).second) {
                    ++sample_.skipped_devices;
                    continue;
                }
            }
            out.push_back(std::move(dev));
        }
    }

    DomainSample sample_;
    std::vector<std::optional<VcpuSample>> vcpus_;
    std::vector<std::optional<NicSample>> nics_;
    std::vector<std::optional<PartialDisk>> disks_;
};

}  // namespace

DomainSample parse_stats_record(const virt::DomainStatsRecord& record)
{
    return RecordParser(record).finish();
}

bool record_has_group(const virt::DomainStatsRecord& record, unsigned group) noexcept
{
    std::string_view prefix;
    switch (group) {
    case virt::stats_state: prefix = "state."; break;
    case virt::stats_cpu_total: prefix = "cpu."; break;
    case virt::stats_balloon: prefix = "balloon."; break;
    case virt::stats_vcpu: prefix = "vcpu."; break;
    case virt::stats_interface: prefix = "net."; break;
    case virt::stats_block: prefix = "block."; break;
    default: return false;
    }
    for (const auto& p : record.params)
        if (std::string_view(p.field).starts_with(prefix)) return true;
    return false;
}

}  // namespace collect
