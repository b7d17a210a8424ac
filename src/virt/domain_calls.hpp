// The per-domain libvirt calls behind DomainSource's fill-in methods, each turning one API's answer
// into TypedParams named as virConnectGetAllDomainStats names them. Private to src/virt.
//
// Thread-safety: any thread (libvirt domain handles are thread-safe). Throws virt::Error with the
// call and domain (and device) in the message; ErrorKind::unsupported when the driver lacks the call.
// Values a driver reports as "not available" (-1) are left out, never turned into 0.
#pragma once

#include <libvirt/libvirt.h>

#include <string>
#include <string_view>
#include <vector>

#include "virt/domain_source.hpp"
#include "virt/live_connection.hpp"

namespace virt::detail {

// virDomainGetInfo → state.state, balloon.maximum, balloon.current (KiB), vcpu.current, and cpu.time
// (ns; left out for a shut-off domain, where it is not a measurement).
std::vector<TypedParam> get_domain_info(virDomainPtr dom, std::string_view name);

// virDomainGetState → state.state, state.reason
std::vector<TypedParam> get_domain_state(virDomainPtr dom, std::string_view name);

// virDomainGetCPUStats(total) → cpu.time, cpu.user, cpu.system
std::vector<TypedParam> get_cpu_stats(virDomainPtr dom, std::string_view name);

// virDomainGetVcpus → vcpu.current, vcpu.N.state, vcpu.N.time; virDomainGetVcpusFlags(MAXIMUM) →
// vcpu.maximum where the driver has it (remembered in `quirks` when it does not).
std::vector<TypedParam> get_vcpu_stats(virDomainPtr dom, std::string_view name, DriverQuirks& quirks);

// virDomainMemoryStats → balloon.* (KiB values as libvirt reports them)
std::vector<TypedParam> get_memory_stats(virDomainPtr dom, std::string_view name);

// virDomainInterfaceStats → rx.bytes, rx.pkts, rx.errs, rx.drop, tx.*
std::vector<TypedParam> get_interface_stats(virDomainPtr dom, std::string_view name, const std::string& dev);

// virDomainBlockStatsFlags (or virDomainBlockStats where the driver lacks it) + virDomainGetBlockInfo
// → rd.*, wr.*, fl.*, errors, capacity, allocation, physical. When one of the two sources is
// unsupported (or block info fails for this disk, e.g. an empty CD-ROM) the other's fields are
// returned; unsupported is thrown only when neither works.
std::vector<TypedParam> get_block_stats(virDomainPtr dom, std::string_view name, const std::string& dev,
                                        DriverQuirks& quirks);

// virDomainGetJobStats(flags 0) → the current job's type and typed parameters as libvirt names them; no
// job (type 0) for a domain whose statistics the driver keeps elsewhere (an incoming migration's).
JobStats get_job_stats(virDomainPtr dom, std::string_view name);

// virDomainGetGuestInfo(VIR_DOMAIN_GUEST_INFO_FILESYSTEMS) → fs.count, fs.N.* as libvirt names them.
std::vector<TypedParam> get_guest_filesystems(virDomainPtr dom, std::string_view name);
// virDomainGetVcpus with cpumaps (maplen for the host's CPUs, virNodeGetCPUMap) → each vCPU's host CPU
// and affinity as a cpulist.
std::vector<VcpuPlacement> get_vcpu_placement(virConnectPtr conn, virDomainPtr dom, std::string_view name,
                                              DriverQuirks& quirks);

// virDomainGetBlockIoTune(dev, AFFECT_LIVE): count first (nparams 0), then the values.
std::vector<TypedParam> get_block_iotune(virDomainPtr dom, std::string_view name, const std::string& dev);

// virDomainGetXMLDesc(flags 0): the live definition.
std::string get_domain_xml(virDomainPtr dom, std::string_view name);

}  // namespace virt::detail
