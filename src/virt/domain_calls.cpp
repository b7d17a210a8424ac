#include "virt/domain_calls.hpp"

#include <libvirt/virterror.h>

#include <algorithm>
#include <array>
#include <optional>

#include "virt/handles.hpp"
#include "virt/libvirt_error.hpp"
#include "virt/typed_params.hpp"

namespace virt::detail {
namespace {

std::string subject(std::string_view name, std::string_view dev)
{
    std::string s(name);
    s += ", ";
    s += dev;
    return s;
}

std::uint64_t u64(unsigned long long v)
{
    return static_cast<std::uint64_t>(v);
}

// virDomainBlockStatsFlags; nullopt when the driver lacks it (remembered per connection).
std::optional<std::vector<TypedParam>> block_stats_flags(virDomainPtr dom, const std::string& who,
                                                         const std::string& dev, DriverQuirks& quirks)
{
    if (quirks.block_stats_flags_unsupported) return std::nullopt;
    int count = 0;
    if (virDomainBlockStatsFlags(dom, dev.c_str(), nullptr, &count, 0) < 0) {
        auto e = last_error("virDomainBlockStatsFlags", who);
        if (e.kind() != ErrorKind::unsupported) throw e;
        quirks.block_stats_flags_unsupported = true;
        return std::nullopt;
    }
    TypedParamBuffer buf(count);
    int filled = buf.capacity();
    if (count > 0 && virDomainBlockStatsFlags(dom, dev.c_str(), buf.data(), &filled, 0) < 0)
        throw_last_error("virDomainBlockStatsFlags", who);
    buf.set_filled(count > 0 ? filled : 0);
    std::vector<TypedParam> out;
    for (const auto& p : convert_typed_params(buf.data(), buf.filled())) {
        const auto field = block_stats_field(p.field);
        if (field.empty()) continue;
        // LLONG with -1 for "not available"; the bulk call has ULLONG and omits what it lacks.
        if (const auto* i = std::get_if<std::int64_t>(&p.value)) {
            if (*i >= 0) out.push_back({std::string(field), static_cast<std::uint64_t>(*i)});
        } else {
            out.push_back({std::string(field), p.value});
        }
    }
    return out;
}

// The old virDomainBlockStats; nullopt when unsupported too.
std::optional<std::vector<TypedParam>> block_stats_plain(virDomainPtr dom, const std::string& who,
                                                         const std::string& dev)
{
    virDomainBlockStatsStruct st{};
    if (virDomainBlockStats(dom, dev.c_str(), &st, sizeof st) < 0) {
        auto e = last_error("virDomainBlockStats", who);
        if (e.kind() == ErrorKind::unsupported) return std::nullopt;
        throw e;
    }
    return block_stats_params(st);
}

}  // namespace

std::vector<TypedParam> get_domain_info(virDomainPtr dom, std::string_view name)
{
    virDomainInfo info{};
    if (virDomainGetInfo(dom, &info) < 0) throw_last_error("virDomainGetInfo", name);
    std::vector<TypedParam> out{
        {"state.state", std::int64_t{info.state}},
        {"balloon.maximum", u64(info.maxMem)},
        {"balloon.current", u64(info.memory)},
        {"vcpu.current", std::uint64_t{info.nrVirtCpu}},
    };
    if (info.state != VIR_DOMAIN_SHUTOFF) out.push_back({"cpu.time", u64(info.cpuTime)});
    return out;
}

std::vector<TypedParam> get_domain_state(virDomainPtr dom, std::string_view name)
{
    int state = 0;
    int reason = 0;
    if (virDomainGetState(dom, &state, &reason, 0) < 0) throw_last_error("virDomainGetState", name);
    return {{"state.state", std::int64_t{state}}, {"state.reason", std::int64_t{reason}}};
}

constexpr int max_cpu_total_params = 16;

std::vector<TypedParam> get_cpu_stats(virDomainPtr dom, std::string_view name)
{
    // start_cpu -1, ncpus 1: the domain's total instead of per host CPU. One call with room for more
    // than any driver reports (3 today; libvirt fills at most that many) instead of asking the count
    // first: a round trip less per domain over RPC.
    TypedParamBuffer buf(max_cpu_total_params);
    const int filled = virDomainGetCPUStats(dom, buf.data(), buf.capacity(), -1, 1, 0);
    if (filled < 0) throw_last_error("virDomainGetCPUStats", name);
    buf.set_filled(filled);
    std::vector<TypedParam> out;
    for (auto& p : convert_typed_params(buf.data(), buf.filled())) {
        if (p.field == VIR_DOMAIN_CPU_STATS_CPUTIME)
            out.push_back({"cpu.time", std::move(p.value)});
        else if (p.field == VIR_DOMAIN_CPU_STATS_USERTIME)
            out.push_back({"cpu.user", std::move(p.value)});
        else if (p.field == VIR_DOMAIN_CPU_STATS_SYSTEMTIME)
            out.push_back({"cpu.system", std::move(p.value)});
    }
    return out;
}

std::vector<TypedParam> get_vcpu_stats(virDomainPtr dom, std::string_view name, DriverQuirks& quirks)
{
    int maximum = -1;
    if (!quirks.vcpus_maximum_unsupported) {
        maximum = virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_MAXIMUM);
        if (maximum < 0) {
            const auto e = last_error("virDomainGetVcpusFlags", name);
            if (e.kind() == ErrorKind::unsupported)
                quirks.vcpus_maximum_unsupported = true;
            else if (e.kind() == ErrorKind::no_domain || e.kind() == ErrorKind::disconnected)
                throw e;
        }
    }
    int slots = maximum;
    if (slots <= 0) {
        virDomainInfo info{};
        if (virDomainGetInfo(dom, &info) < 0) throw_last_error("virDomainGetInfo", name);
        slots = static_cast<int>(info.nrVirtCpu);
    }
    std::vector<virVcpuInfo> vcpus(static_cast<std::size_t>(std::max(slots, 1)));
    const int n = virDomainGetVcpus(dom, vcpus.data(), static_cast<int>(vcpus.size()), nullptr, 0);
    if (n < 0) throw_last_error("virDomainGetVcpus", name);

    std::vector<TypedParam> out{{"vcpu.current", std::uint64_t(n)}};
    if (maximum > 0) out.push_back({"vcpu.maximum", std::uint64_t(maximum)});
    for (int i = 0; i < n; ++i) {
        const auto prefix = "vcpu." + std::to_string(vcpus[i].number) + ".";
        out.push_back({prefix + "state", std::int64_t{vcpus[i].state}});
        out.push_back({prefix + "time", u64(vcpus[i].cpuTime)});
    }
    return out;
}

std::vector<TypedParam> get_memory_stats(virDomainPtr dom, std::string_view name)
{
    std::array<virDomainMemoryStatStruct, VIR_DOMAIN_MEMORY_STAT_NR> stats{};
    const int n = virDomainMemoryStats(dom, stats.data(), static_cast<unsigned>(stats.size()), 0);
    if (n < 0) throw_last_error("virDomainMemoryStats", name);
    std::vector<TypedParam> out;
    for (int i = 0; i < n && i < static_cast<int>(stats.size()); ++i) {
        const auto field = memory_stat_field(stats[i].tag);
        if (!field.empty()) out.push_back({std::string(field), u64(stats[i].val)});
    }
    return out;
}

std::vector<TypedParam> get_interface_stats(virDomainPtr dom, std::string_view name, const std::string& dev)
{
    virDomainInterfaceStatsStruct st{};
    if (virDomainInterfaceStats(dom, dev.c_str(), &st, sizeof st) < 0)
        throw_last_error("virDomainInterfaceStats", subject(name, dev));
    return interface_stats_params(st);
}

std::vector<TypedParam> get_block_stats(virDomainPtr dom, std::string_view name, const std::string& dev,
                                        DriverQuirks& quirks)
{
    const auto who = subject(name, dev);
    auto stats = block_stats_flags(dom, who, dev, quirks);
    if (!stats) stats = block_stats_plain(dom, who, dev);

    std::vector<TypedParam> out = stats ? std::move(*stats) : std::vector<TypedParam>{};
    if (!quirks.block_info_unsupported) {
        virDomainBlockInfo info{};
        if (virDomainGetBlockInfo(dom, dev.c_str(), &info, 0) == 0) {
            out.push_back({"capacity", u64(info.capacity)});
            out.push_back({"allocation", u64(info.allocation)});
            out.push_back({"physical", u64(info.physical)});
            return out;
        }
        auto e = last_error("virDomainGetBlockInfo", who);
        if (e.kind() == ErrorKind::unsupported)
            quirks.block_info_unsupported = true;
        else if (!stats || e.kind() == ErrorKind::no_domain || e.kind() == ErrorKind::disconnected)
            throw e;
        // else: this disk has no size to report (e.g. an empty CD-ROM); its counters still count.
    }
    if (!stats) throw Error(ErrorKind::unsupported, "virDomainBlockStats(" + who + "): not supported by the driver");
    return out;
}

JobStats get_job_stats(virDomainPtr dom, std::string_view name)
{
    int type = VIR_DOMAIN_JOB_NONE;
    AllocatedTypedParams params;
    if (virDomainGetJobStats(dom, &type, params.params_out(), params.count_out(), 0) < 0) {
        // QEMU's driver refuses an incoming migration's statistics ("available only on the source host")
        // with OPERATION_UNSUPPORTED: that is this domain's job, not the driver lacking the call (which would
        // stop the call for every domain on the connection). Nothing to report for it here.
        if (virGetLastErrorCode() == VIR_ERR_OPERATION_UNSUPPORTED) return {};
        throw_last_error("virDomainGetJobStats", name);
    }
    return {type, convert_typed_params(params.data(), params.count())};
}

std::vector<TypedParam> get_guest_filesystems(virDomainPtr dom, std::string_view name)
{
    AllocatedTypedParams params;
    if (virDomainGetGuestInfo(dom, VIR_DOMAIN_GUEST_INFO_FILESYSTEM, params.params_out(), params.count_out(), 0) < 0)
        throw_last_error("virDomainGetGuestInfo", name);
    return convert_typed_params(params.data(), params.count());
}

std::string get_domain_xml(virDomainPtr dom, std::string_view name)
{
    CString xml(virDomainGetXMLDesc(dom, 0));
    if (!xml) throw_last_error("virDomainGetXMLDesc", name);
    return std::string(xml.get());
}

}  // namespace virt::detail
