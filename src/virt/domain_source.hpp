// The libvirt seam: everything the rest of the program sees of libvirt. This header deliberately does
// not include libvirt: values come back as plain data (typed parameters named as libvirt's bulk stats
// call names them), so parsing stays pure and tests can put a fake behind the interface.
//
// Thread-safety: every method may be called from any thread at the same time (libvirt connections are
// thread-safe). Errors: methods throw virt::Error; a driver that does not implement a call throws
// virt::Error with kind() == ErrorKind::unsupported, which callers remember instead of logging.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "virt/stats_groups.hpp"

namespace virt {

enum class ErrorKind {
    other,
    unsupported,   // the driver does not implement this call or flag
    no_domain,     // the domain vanished between listing and the call
    disconnected,  // no usable connection
    busy,          // the domain is in a job and NOWAIT-style access was refused / timed out
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

// Values as virTypedParameter carries them: int/llong → int64, uint/ullong → uint64.
using TypedValue = std::variant<std::int64_t, std::uint64_t, double, bool, std::string>;

struct TypedParam {
    std::string field;  // e.g. "net.0.rx.bytes"
    TypedValue value;
    bool operator==(const TypedParam&) const = default;
};

struct DomainRef {
    std::string name;
    std::string uuid;  // canonical lower-case string form
    int id = -1;       // -1 when the domain is not running
    bool operator==(const DomainRef&) const = default;
};

// One domain's record from virConnectGetAllDomainStats, or built by the per-domain fill-in.
struct DomainStatsRecord {
    DomainRef domain;
    std::vector<TypedParam> params;
};

// virDomainGetJobStats' answer for the current job: `type` is virDomainJobType (0: no job), `params` its
// typed parameters by libvirt's names ("data_processed", "time_elapsed", ...), empty without a job.
struct JobStats {
    int type = 0;
    std::vector<TypedParam> params;
    bool operator==(const JobStats&) const = default;
};

// One vCPU's placement from virDomainGetVcpus with cpumaps: where it last ran and where it may run.
struct VcpuPlacement {
    unsigned vcpu = 0;     // virVcpuInfo.number
    int state = 0;         // virVcpuState
    int host_cpu = -1;     // virVcpuInfo.cpu: the host CPU it runs or last ran on; -1 unknown
    std::string affinity;  // its cpumap as a cpulist ("0-3,6"); empty when no host CPU is allowed
    bool operator==(const VcpuPlacement&) const = default;
};

// libvirt's version numbers (major * 1,000,000 + minor * 1,000 + release) as "major.minor.release"
// (Tinkoff's libvirt_versions_info); empty where libvirt did not say.
struct LibvirtVersions {
    std::string hypervisor;  // virConnectGetVersion: the hypervisor behind the connection (QEMU's version)
    std::string daemon;      // virConnectGetLibVersion: the libvirt serving the connection (libvirtd)
    std::string library;     // virGetVersion: the libvirt library linked into this process
    bool operator==(const LibvirtVersions&) const = default;
};
// "8.0.0" for 8000000; pure.
std::string format_libvirt_version(unsigned long version);

// A cpumap (libvirt's bit per host CPU, lowest bit of byte 0 is CPU 0) as a cpulist as libvirt writes one
// (virsh vcpupin): ascending, every run of two or more as a range ("0-3,6,8-9"); bits at or past `cpus`
// are ignored. Pure.
std::string format_cpulist(std::span<const unsigned char> map, unsigned cpus);

// A storage pool as virConnectListAllStoragePools names it.
struct StoragePoolRef {
    std::string name;
    std::string uuid;  // canonical lower-case string form
    bool operator==(const StoragePoolRef&) const = default;
};

// virStoragePoolGetInfo: the pool's state (virStoragePoolState: 0 inactive, 1 building, 2 running,
// 3 degraded, 4 inaccessible) and sizes in bytes, as the driver last refreshed them (the call never
// refreshes a pool).
struct StoragePoolInfo {
    int state = 0;
    std::uint64_t capacity = 0;
    std::uint64_t allocation = 0;
    std::uint64_t available = 0;
    bool operator==(const StoragePoolInfo&) const = default;
};

// Name as used in config and metrics ("state", "cpu_total", ...; stats_groups.hpp); empty for an unknown
// bit.
std::string_view stats_group_name(unsigned group) noexcept;
// The groups in `mask`, lowest bit first.
std::vector<unsigned> stats_groups_in(unsigned mask);

class DomainSource {
public:
    virtual ~DomainSource() = default;

    // Changes every time a new connection replaces the old one; 0 while never connected.
    // Callers key "which path works on this connection" memories by it.
    virtual std::uint64_t generation() const noexcept = 0;
    virtual bool connected() const noexcept = 0;
    // The versions read when the current connection was opened (no libvirt call here); all empty
    // while not connected.
    virtual LibvirtVersions versions() const = 0;

    // One virConnectGetAllDomainStats for all domains (active and inactive) with `groups`, using
    // VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT unless the driver refused it before on this connection.
    virtual std::vector<DomainStatsRecord> all_domain_stats(unsigned groups) = 0;

    // virConnectListAllDomains: every domain's name, UUID and id (-1: not running), without statistics;
    // the handles are kept for domain_stats() and the per-domain calls.
    virtual std::vector<DomainRef> list_domains() = 0;

    // The bulk call's records for `domains` only (from list_domains: a filtered collection asks for none
    // but these): virDomainListGetStats with NOWAIT as all_domain_stats, split over the helper
    // connections as all_domain_stats is. A domain gone since the listing is left out.
    virtual std::vector<DomainStatsRecord> domain_stats(const std::vector<DomainRef>& domains, unsigned groups) = 0;

    // virDomainGetXMLDesc (inactive=false: the live definition).
    virtual std::string domain_xml(const DomainRef& domain) = 0;

    // Per-domain calls for the fill-in. Each returns params named exactly as the bulk call would
    // (full names: "state.state", "cpu.time", "balloon.rss", "vcpu.0.time", ...); device calls return
    // names relative to the device ("rx.bytes", "rd.reqs", "capacity", ...). Fields the driver reports
    // as unsupported (-1) are left out.
    // virDomainGetInfo → state.state, balloon.current, balloon.maximum, vcpu.current, cpu.time
    virtual std::vector<TypedParam> domain_info(const DomainRef& domain) = 0;
    // virDomainGetState → state.state, state.reason
    virtual std::vector<TypedParam> domain_state(const DomainRef& domain) = 0;
    // virDomainGetCPUStats (total) → cpu.time, cpu.user, cpu.system
    virtual std::vector<TypedParam> cpu_stats(const DomainRef& domain) = 0;
    // virDomainGetVcpus (+ virDomainGetVcpusFlags for maximum) → vcpu.current, vcpu.maximum,
    // vcpu.N.state, vcpu.N.time
    virtual std::vector<TypedParam> vcpu_stats(const DomainRef& domain) = 0;
    // virDomainMemoryStats → balloon.* with the bulk call's names (actual → balloon.current, ...)
    virtual std::vector<TypedParam> memory_stats(const DomainRef& domain) = 0;
    // virDomainInterfaceStats(dev) → rx.bytes, rx.pkts, rx.errs, rx.drop, tx.*
    virtual std::vector<TypedParam> interface_stats(const DomainRef& domain, const std::string& dev) = 0;
    // virDomainBlockStatsFlags + virDomainGetBlockInfo(dev) → rd.reqs, rd.bytes, rd.times, wr.*, fl.*,
    // errors, capacity, allocation, physical
    virtual std::vector<TypedParam> block_stats(const DomainRef& domain, const std::string& dev) = 0;

    // Storage pools, read-only calls only (never a refresh, which needs write access). A pool that hangs
    // (an NFS or RBD backend that stops answering) can hang these calls: callers run them on a thread of
    // their own (collect/pool_collector.hpp).
    // virConnectListAllStoragePools: every pool, active or not.
    virtual std::vector<StoragePoolRef> list_storage_pools() = 0;
    // virStoragePoolGetInfo (the pool looked up by UUID, which never asks its backend).
    virtual StoragePoolInfo storage_pool_info(const StoragePoolRef& pool) = 0;
    // virStoragePoolGetXMLDesc(flags 0): the pool's definition.
    virtual std::string storage_pool_xml(const StoragePoolRef& pool) = 0;
    // virDomainGetJobStats(flags 0): the domain's current job (allowed on a read-only connection). In
    // QEMU's driver it waits for the domain's job lock and asks the monitor while a job runs, so it can
    // block as long as a frozen QEMU does: callers bound it (collect/job_calls.hpp).
    virtual JobStats job_stats(const DomainRef& domain) = 0;
    // virDomainGetGuestInfo(VIR_DOMAIN_GUEST_INFO_FILESYSTEMS): the guest agent's mounted filesystems as
    // libvirt names them (fs.count, fs.N.mountpoint, fs.N.total-bytes, fs.N.disk.M.alias, ...). Needs a
    // read-write connection (libvirt.guest_agent's own Connection); QEMU waits for the agent up to its
    // response timeout, and a guest without one fails. Callers run it on a thread of their own
    // (collect/guest_agent_collector.hpp).
    virtual std::vector<TypedParam> guest_filesystems(const DomainRef& domain) = 0;
    // One virDomainGetVcpus with cpumaps (maplen from the host's CPU count): each online vCPU's host CPU
    // and pinning (stats group vcpu_placement). Counted as virDomainGetVcpus.
    virtual std::vector<VcpuPlacement> vcpu_placement(const DomainRef& domain) = 0;
    // virDomainGetBlockIoTune(dev, VIR_DOMAIN_AFFECT_LIVE): the disk's I/O limits as libvirt names them
    // ("total_bytes_sec", "read_iops_sec_max", ..., "group_name"), every value as libvirt sends it, 0
    // included (stats group block_iotune).
    virtual std::vector<TypedParam> block_iotune(const DomainRef& domain, const std::string& dev) = 0;
};

}  // namespace virt
