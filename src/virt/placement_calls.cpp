// The calls behind DomainSource::vcpu_placement and block_iotune (declared in domain_calls.hpp).
#include <cstdlib>
#include <memory>

#include "virt/domain_calls.hpp"
#include "virt/handles.hpp"
#include "virt/libvirt_error.hpp"
#include "virt/typed_params.hpp"

namespace virt::detail {
namespace {

// Room for this many vCPUs in the first call: more than most guests have, small enough that the
// cpumaps libvirt sends back for all slots stay a few KiB. A guest that fills every slot is asked
// again with its maximum.
constexpr int first_vcpu_slots = 64;

// The host's CPU count: virNodeGetCPUMap without a map, else virNodeGetInfo (a driver without the
// former). Asked once per connection.
int host_cpus(virConnectPtr conn, std::string_view name, DriverQuirks& quirks)
{
    if (const int known = quirks.host_cpus; known > 0) return known;
    int cpus = virNodeGetCPUMap(conn, nullptr, nullptr, 0);
    if (cpus <= 0) {
        virNodeInfo info{};
        if (virNodeGetInfo(conn, &info) < 0) throw_last_error("virNodeGetInfo", name);
        cpus = static_cast<int>(VIR_NODEINFO_MAXCPUS(info));
    }
    if (cpus <= 0) throw Error(ErrorKind::other, "virNodeGetInfo(" + std::string(name) + "): no host CPUs reported");
    quirks.host_cpus = cpus;
    return cpus;
}

}  // namespace

std::vector<VcpuPlacement> get_vcpu_placement(virConnectPtr conn, virDomainPtr dom, std::string_view name,
                                              DriverQuirks& quirks)
{
    const int cpus = host_cpus(conn, name, quirks);
    const int maplen = VIR_CPU_MAPLEN(cpus);
    int slots = first_vcpu_slots;
    std::vector<virVcpuInfo> info;
    std::vector<unsigned char> maps;
    int n = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
        info.assign(static_cast<std::size_t>(slots), virVcpuInfo{});
        maps.assign(static_cast<std::size_t>(slots) * static_cast<std::size_t>(maplen), 0);
        n = virDomainGetVcpus(dom, info.data(), slots, maps.data(), maplen);
        if (n < 0) throw_last_error("virDomainGetVcpus", name);
        if (n < slots || attempt == 1) break;
        const int maximum = virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_MAXIMUM);
        if (maximum <= slots) break;
        slots = maximum;
    }
    std::vector<VcpuPlacement> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n && i < slots; ++i) {
        const auto* map = maps.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(maplen);
        out.push_back({info[i].number, info[i].state, info[i].cpu < 0 ? -1 : info[i].cpu,
                       format_cpulist({map, static_cast<std::size_t>(maplen)}, static_cast<unsigned>(cpus))});
    }
    return out;
}

std::vector<TypedParam> get_block_iotune(virDomainPtr dom, std::string_view name, const std::string& dev)
{
    int count = 0;
    const std::string who = std::string(name) + ", " + dev;
    if (virDomainGetBlockIoTune(dom, dev.c_str(), nullptr, &count, VIR_DOMAIN_AFFECT_LIVE) < 0)
        throw_last_error("virDomainGetBlockIoTune", who);
    if (count <= 0) return {};
    TypedParamBuffer buf(count);
    int filled = buf.capacity();
    if (virDomainGetBlockIoTune(dom, dev.c_str(), buf.data(), &filled, VIR_DOMAIN_AFFECT_LIVE) < 0)
        throw_last_error("virDomainGetBlockIoTune", who);
    buf.set_filled(filled);
    return convert_typed_params(buf.data(), buf.filled());
}

}  // namespace virt::detail
