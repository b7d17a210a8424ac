// The libvirt seam: everything the rest of the program sees of libvirt. This header deliberately does
// not include libvirt: values come back as plain data (typed parameters named as libvirt's bulk stats
// call names them), so parsing stays pure and tests can put a fake behind the interface.
//
// Thread-safety: every method may be called from any thread at the same time (libvirt connections are
// thread-safe). Errors: methods throw virt::Error; a driver that does not implement a call throws
// virt::Error with kind() == ErrorKind::unsupported, which callers remember instead of logging.
#pragma once

#include <cstdint>
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
};

}  // namespace virt
