// Domain CPU time split (user/system) and per-vCPU families. The vCPU names are inovex's
// (libvirt_domain_vcpu_*); user/system have no inovex family and follow the same scheme.
#include "prom/families.hpp"

namespace prom {

void write_cpu_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out)
{
    if (!scrape.snapshot) return;
    using collect::DomainSample;
    using collect::VcpuSample;
    each_domain(
        out, labels,
        {"libvirt_domain_cpu_user_seconds_total", "CPU time the domain spent in user mode, in seconds.", Type::counter},
        [](const DomainSample& d) { return to_base(d.cpu.user, Unit::ns); });
    each_domain(out, labels,
                {"libvirt_domain_cpu_system_seconds_total", "CPU time the domain spent in kernel mode, in seconds.",
                 Type::counter},
                [](const DomainSample& d) { return to_base(d.cpu.system, Unit::ns); });
    each_domain(out, labels, {"libvirt_domain_vcpu_current", "Number of current online vCPUs.", Type::gauge},
                [](const DomainSample& d) { return d.vcpu.current; });
    each_domain(out, labels, {"libvirt_domain_vcpu_maximum", "Number of maximum online vCPUs.", Type::gauge},
                [](const DomainSample& d) { return d.vcpu.maximum; });
    each_vcpu(out, labels,
              {"libvirt_domain_vcpu_state", "State of the vCPU (0 offline, 1 running, 2 blocked).", Type::gauge},
              [](const VcpuSample& v) { return v.state; });
    each_vcpu(out, labels,
              {"libvirt_domain_vcpu_time_seconds_total", "Time spent by the virtual CPU, in seconds.", Type::counter},
              [](const VcpuSample& v) { return to_base(v.time, Unit::ns); });
    each_vcpu(out, labels,
              {"libvirt_domain_vcpu_wait_seconds_total",
               "Time the vCPU wanted to run but the host scheduler ran something else, in seconds.", Type::counter},
              [](const VcpuSample& v) { return to_base(v.wait, Unit::ns); });
    each_vcpu(out, labels,
              {"libvirt_domain_vcpu_delay_seconds_total",
               "Time the vCPU spent waiting in the run queue instead of running (steal time in the guest), in "
               "seconds.",
               Type::counter},
              [](const VcpuSample& v) { return to_base(v.delay, Unit::ns); });
}

}  // namespace prom
