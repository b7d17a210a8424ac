// Domain CPU time split (user/system) and per-vCPU families. The vCPU names are inovex's
// (libvirt_domain_vcpu_*); user/system have no inovex family and follow the same scheme.
#include "prom/families.hpp"
#include "prom/family_builder.hpp"

namespace prom {

void add_cpu_families(const Scrape& scrape, Families& out)
{
    if (!scrape.snapshot) return;
    using prometheus::MetricType;
    FamilyBuilder user(out, "libvirt_domain_cpu_user_seconds_total",
                       "CPU time the domain spent in user mode, in seconds.", MetricType::Counter);
    FamilyBuilder system(out, "libvirt_domain_cpu_system_seconds_total",
                         "CPU time the domain spent in kernel mode, in seconds.", MetricType::Counter);
    FamilyBuilder current(out, "libvirt_domain_vcpu_current", "Number of current online vCPUs.", MetricType::Gauge);
    FamilyBuilder maximum(out, "libvirt_domain_vcpu_maximum", "Number of maximum online vCPUs.", MetricType::Gauge);
    FamilyBuilder state(out, "libvirt_domain_vcpu_state", "State of the vCPU (0 offline, 1 running, 2 blocked).",
                        MetricType::Gauge);
    FamilyBuilder time(out, "libvirt_domain_vcpu_time_seconds_total", "Time spent by the virtual CPU, in seconds.",
                       MetricType::Counter);
    FamilyBuilder wait(out, "libvirt_domain_vcpu_wait_seconds_total",
                       "Time the vCPU wanted to run but the host scheduler ran something else, in seconds.",
                       MetricType::Counter);
    FamilyBuilder delay(out, "libvirt_domain_vcpu_delay_seconds_total",
                        "Time the vCPU spent waiting in the run queue instead of running (steal time in the "
                        "guest), in seconds.",
                        MetricType::Counter);

    for (const auto& d : scrape.snapshot->domains) {
        const Labels labels = domain_labels(d.name, d.uuid);
        user.add(labels, d.cpu.user, ns);
        system.add(labels, d.cpu.system, ns);
        current.add(labels, d.vcpu.current);
        maximum.add(labels, d.vcpu.maximum);
        for (const auto& v : d.vcpus) {
            const Labels vl = domain_labels(d.name, d.uuid, {{"vcpu", std::to_string(v.index)}});
            state.add(vl, v.state);
            time.add(vl, v.time, ns);
            wait.add(vl, v.wait, ns);
            delay.add(vl, v.delay, ns);
        }
    }
}

}  // namespace prom
