// libvirt_domains, libvirt_domain_info, libvirt_domain_openstack_info, libvirt_domain_info_* —
// names and labels of inovex/prometheus-libvirt-exporter, plus `uuid` on every per-domain series.
#include "prom/families.hpp"
#include "prom/family_builder.hpp"

namespace prom {
namespace {

using prometheus::MetricType;

const char* state_description(int state)
{
    // inovex's state_desc texts, so existing dashboards and alerts keep matching.
    switch (state) {
    case 0: return "no state";
    case 1: return "the domain is running";
    case 2: return "the domain is blocked on resource";
    case 3: return "the domain is paused by user";
    case 4: return "the domain is being shut down";
    case 5: return "the domain is shut off";
    case 6: return "the domain is crashed";
    case 7: return "the domain is suspended by guest power management";
    default: return "unknown";
    }
}

}  // namespace

void add_domain_families(const Scrape& scrape, Families& out)
{
    if (!scrape.snapshot || !scrape.snapshot->libvirt_up) return;
    const auto& domains = scrape.snapshot->domains;
    {
        FamilyBuilder f(out, "libvirt_domains", "Number of domains.", MetricType::Gauge);
        f.add({}, static_cast<double>(domains.size()));
    }
    FamilyBuilder info(out, "libvirt_domain_info", "Metadata labels for the domain.", MetricType::Gauge);
    FamilyBuilder nova(out, "libvirt_domain_openstack_info", "OpenStack Metadata labels for the domain.",
                       MetricType::Gauge);
    FamilyBuilder state(out, "libvirt_domain_info_state", "Code of the domain state.", MetricType::Gauge);
    FamilyBuilder reason(out, "libvirt_domain_info_state_reason",
                         "Code of the reason for the domain state (virDomain<State>Reason).", MetricType::Gauge);
    FamilyBuilder maxmem(out, "libvirt_domain_info_maximum_memory_bytes",
                         "Maximum allowed memory of the domain, in bytes.", MetricType::Gauge);
    FamilyBuilder mem(out, "libvirt_domain_info_memory_usage_bytes", "Memory usage of the domain, in bytes.",
                      MetricType::Gauge);
    FamilyBuilder vcpus(out, "libvirt_domain_info_virtual_cpus", "Number of virtual CPUs for the domain.",
                        MetricType::Gauge);
    FamilyBuilder cpu(out, "libvirt_domain_info_cpu_time_seconds_total",
                      "Amount of CPU time used by the domain, in seconds.", MetricType::Counter);

    for (const auto& d : domains) {
        const Labels labels = domain_labels(d.name, d.uuid);
        const collect::DomainDevices* x = d.devices.get();
        info.add(domain_labels(d.name, d.uuid,
                               {{"os_type", x ? x->os_type : ""},
                                {"os_type_arch", x ? x->arch : ""},
                                {"os_type_machine", x ? x->machine : ""},
                                {"vmid", d.vmid}}),
                 1);
        if (x && x->nova) {
            const auto& n = *x->nova;
            nova.add(domain_labels(d.name, d.uuid,
                                   {{"instance_name", n.instance_name},
                                    {"instance_id", d.uuid},
                                    {"flavor_name", n.flavor},
                                    {"user_name", n.user_name},
                                    {"user_id", n.user_uuid},
                                    {"project_name", n.project_name},
                                    {"project_id", n.project_uuid}}),
                     1);
        }
        if (d.state.state)
            state.add(domain_labels(d.name, d.uuid, {{"state_desc", state_description(*d.state.state)}}),
                      *d.state.state);
        reason.add(labels, d.state.reason);
        maxmem.add(labels, d.balloon.maximum, kib);
        mem.add(labels, d.balloon.current, kib);
        vcpus.add(labels, d.vcpu.current);
        cpu.add(labels, d.cpu.time, ns);
    }
}

}  // namespace prom
