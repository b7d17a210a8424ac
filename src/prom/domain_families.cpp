// libvirt_domains, libvirt_domain_info, libvirt_domain_openstack_info, libvirt_domain_info_* —
// names and labels of inovex/prometheus-libvirt-exporter, plus `uuid` on every per-domain series.
#include "collect/domain_state.hpp"
#include "prom/families.hpp"

namespace prom {
namespace {

using collect::DomainSample;

// The _info families carry their metadata as labels; `set` is one scratch string reused for all of them.
void write_info_families(const DomainLabels& labels, TextWriter& out)
{
    const auto& domains = labels.domains();
    std::string set;
    out.family({"libvirt_domain_info", "Metadata labels for the domain.", Type::gauge});
    for (std::size_t i = 0; i < domains.size(); ++i) {
        const DomainSample& d = domains[i];
        const collect::DomainDevices* x = d.devices.get();
        set.assign(labels.domain(i));
        append_label(set, "os_type", x ? x->os_type : "");
        append_label(set, "os_type_arch", x ? x->arch : "");
        append_label(set, "os_type_machine", x ? x->machine : "");
        append_label(set, "vmid", d.vmid);
        out.sample(set, 1);
    }
    out.family({"libvirt_domain_openstack_info", "OpenStack Metadata labels for the domain.", Type::gauge});
    for (std::size_t i = 0; i < domains.size(); ++i) {
        const DomainSample& d = domains[i];
        if (!d.devices || !d.devices->nova) continue;
        const auto& n = *d.devices->nova;
        set.assign(labels.domain(i));
        append_label(set, "instance_name", n.instance_name);
        append_label(set, "instance_id", d.uuid);
        append_label(set, "flavor_name", n.flavor);
        append_label(set, "user_name", n.user_name);
        append_label(set, "user_id", n.user_uuid);
        append_label(set, "project_name", n.project_name);
        append_label(set, "project_id", n.project_uuid);
        out.sample(set, 1);
    }
    out.family({"libvirt_domain_info_state", "Code of the domain state.", Type::gauge});
    for (std::size_t i = 0; i < domains.size(); ++i) {
        if (!domains[i].state.state) continue;
        const int state = *domains[i].state.state;
        set.clear();
        append_label(set, "state_desc", collect::domain_state(state).description);
        out.sample(labels.domain(i), set, state);
    }
}

}  // namespace

void write_domain_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out)
{
    if (!scrape.snapshot || !scrape.snapshot->libvirt_up) return;
    out.single({"libvirt_domains", "Number of domains.", Type::gauge}, labels.domains().size());
    write_info_families(labels, out);
    each_domain(out, labels,
                {"libvirt_domain_info_state_reason",
                 "Code of the reason for the domain state (virDomain<State>Reason).", Type::gauge},
                [](const DomainSample& d) { return d.state.reason; });
    each_domain(
        out, labels,
        {"libvirt_domain_info_maximum_memory_bytes", "Maximum allowed memory of the domain, in bytes.", Type::gauge},
        [](const DomainSample& d) { return to_base(d.balloon.maximum, Unit::kib); });
    each_domain(out, labels,
                {"libvirt_domain_info_memory_usage_bytes", "Memory usage of the domain, in bytes.", Type::gauge},
                [](const DomainSample& d) { return to_base(d.balloon.current, Unit::kib); });
    each_domain(out, labels,
                {"libvirt_domain_info_virtual_cpus", "Number of virtual CPUs for the domain.", Type::gauge},
                [](const DomainSample& d) { return d.vcpu.current; });
    each_domain(out, labels,
                {"libvirt_domain_info_cpu_time_seconds_total", "Amount of CPU time used by the domain, in seconds.",
                 Type::counter},
                [](const DomainSample& d) { return to_base(d.cpu.time, Unit::ns); });
}

}  // namespace prom
