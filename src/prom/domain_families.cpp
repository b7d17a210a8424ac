// libvirt_domains, libvirt_domain_info, libvirt_domain_openstack_info, libvirt_domain_info_*,
// libvirt_domain_timed_out — names and labels of inovex/prometheus-libvirt-exporter, plus `uuid` on every
// per-domain series — and Tinkoff's libvirt_versions_info.
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
    // Every domain, as inovex emits it: dashboards build their project → instance → domain pickers from
    // this family alone. Without nova metadata the nova labels are empty; instance_id is the UUID.
    out.family({"libvirt_domain_openstack_info", "OpenStack Metadata labels for the domain.", Type::gauge});
    const collect::NovaInfo none;
    for (std::size_t i = 0; i < domains.size(); ++i) {
        const DomainSample& d = domains[i];
        const auto& n = d.devices && d.devices->nova ? *d.devices->nova : none;
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

// Tinkoff's family: one series, its labels the versions of the connection the collection ran on.
void write_versions(const virt::LibvirtVersions& v, TextWriter& out)
{
    if (v == virt::LibvirtVersions{}) return;
    std::string set;
    append_label(set, "hypervisor_running", v.hypervisor);
    append_label(set, "libvirtd_running", v.daemon);
    append_label(set, "libvirt_library", v.library);
    out.family({"libvirt_versions_info", "Versions of virtualization components.", Type::gauge});
    out.sample(set, 1);
}

}  // namespace

void write_domain_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out)
{
    if (!scrape.snapshot || !scrape.snapshot->libvirt_up) return;
    out.single({"libvirt_domains", "Number of domains.", Type::gauge}, labels.domains().size());
    write_versions(scrape.snapshot->versions, out);
    write_info_families(labels, out);
    // Every domain on every scrape, as in inovex, so an alert can tell "not fresh" from "gone".
    const bool stale = !scrape.status.fresh;
    each_domain(out, labels,
                {"libvirt_domain_timed_out",
                 "1 when this domain's values in this answer are not fresh: libvirt skipped its monitor-bound "
                 "statistics because a job held the domain, a per-domain call found it busy or was not made "
                 "within libvirt.timeout, or the whole answer is an older collection's.",
                 Type::gauge},
                [stale](const DomainSample& d) { return stale || d.timed_out ? 1 : 0; });
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
