// vm_vcpus and vm_extra: the values /metrics had and the seed's four measurements did not carry.
// vm_vcpus is one table row per field, as in measurements.cpp; vm_extra's fields are whatever the
// parser kept by name (DomainSample::extra), so its catalog lists one row per group of names.
#include <algorithm>
#include <cctype>

#include "influx/point_builder.hpp"

namespace influx::detail {
namespace {

using collect::OptU64;
using collect::VcpuSample;

constexpr ValueRow<VcpuSample> vcpu_rows[] = {
    {"state", [](const VcpuSample& v) { return non_negative(v.state); }, "vcpu.N.state (virVcpuState)"},
    // Not "time": InfluxDB 1.x drops a field of that name (line_protocol.hpp), so it is vm_metrics' name.
    {"cputime", [](const VcpuSample& v) { return v.time; }, "vcpu.N.time (ns)"},
    {"wait", [](const VcpuSample& v) { return v.wait; }, "vcpu.N.wait (ns)"},
    {"delay", [](const VcpuSample& v) { return v.delay; },
     "vcpu.N.delay (ns, runnable but waiting for a host CPU: steal)"},
    {"host_cpu", [](const VcpuSample& v) { return non_negative(v.host_cpu); },
     "virDomainGetVcpus cpu: the host CPU it runs or last ran on (stats group vcpu_placement)"},
};

// The catalog's rows for vm_extra: its fields are named after libvirt's, so they are listed by group.
struct ExtraGroup {
    const char* fields;
    const char* source;
};

constexpr ExtraGroup extra_groups[] = {
    {"perf_*", "perf.* (stats group perf; counters)"},
    {"iothread_*", "iothread.N.* (stats group iothread)"},
    {"dirtyrate_*", "dirtyrate.* (stats group dirtyrate)"},
    {"vm_*", "vm.* (stats group vm: the hypervisor's own statistics)"},
    {"memory_*", "memory.bandwidth.*, memory.cache.* (stats group memory)"},
    {"cpu_*, balloon_*, vcpu_*",
     "the fields of cpu.*, balloon.*, vcpu.N.* that have no column of their own "
     "(cpu.haltpoll.*, cpu.cache.monitor.*)"},
};

// libvirt's name with every character but a letter, a digit or `_` as `_` ("iothread.0.poll-max-ns" →
// "iothread_0_poll_max_ns"): written and queried without escaping or quoting, as the other fields are.
std::string field_name(const std::string& libvirt_name)
{
    std::string out = libvirt_name;
    std::ranges::replace_if(
        out, [](unsigned char c) { return !std::isalnum(c) && c != '_'; }, '_');
    return out;
}

}  // namespace

void add_vcpu_points(Builder& b, const collect::DomainSample& d)
{
    if (!b.wanted(config::m_vm_vcpus)) return;
    for (const VcpuSample& v : d.vcpus) {
        Point& p = b.point("vm_vcpus", d, {{"vcpu", std::to_string(v.index)}});
        for (const auto& row : vcpu_rows) add(p, row.field, row.get(v));
    }
}

void add_extra_point(Builder& b, const collect::DomainSample& d)
{
    if (!b.wanted(config::m_vm_extra) || d.extra.empty()) return;
    Point& p = b.point("vm_extra", d);
    p.fields.reserve(d.extra.size());
    // Floats, always: libvirt reports some of these as integers and some as doubles, and a field must
    // keep one type in InfluxDB. Two names that become the same field: the first wins (in encode()).
    for (const auto& e : d.extra) p.fields.push_back({field_name(e.name), e.value});
}

void vcpu_extra_catalog(std::vector<FieldInfo>& out)
{
    for (const auto& r : vcpu_rows) out.push_back({"vm_vcpus", r.field, "integer", r.source});
    for (const auto& g : extra_groups) out.push_back({"vm_extra", g.fields, "float", g.source});
}

}  // namespace influx::detail
