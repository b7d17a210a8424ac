// virt::Connection's DomainSource calls: one bulk virConnectGetAllDomainStats per collection, and the
// per-domain calls the fill-in falls back to. Every call runs on the connection current when it
// started (kept alive by its shared_ptr); a call failing with ErrorKind::disconnected reports the
// connection lost so the reconnect thread replaces it at once.
#include <libvirt/virterror.h>

#include <climits>
#include <unordered_map>
#include <utility>

#include "virt/connection.hpp"
#include "virt/connection_impl.hpp"
#include "virt/domain_calls.hpp"
#include "virt/handles.hpp"
#include "virt/libvirt_error.hpp"
#include "virt/typed_params.hpp"

namespace virt {
namespace {

using detail::LiveConnection;

// Runs `fn` on the current connection and reports a lost connection before rethrowing.
template <typename Fn>
auto on_connection(Connection::Impl& impl, Fn&& fn)
{
    auto live = impl.current_or_throw();
    try {
        return fn(*live);
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::disconnected) impl.connection_lost(live->generation(), e.what());
        throw;
    }
}

// Same, with a handle for `domain` (from the last listing, else looked up by UUID).
template <typename Fn>
auto on_domain(Connection::Impl& impl, const DomainRef& domain, Fn&& fn)
{
    return on_connection(impl, [&](LiveConnection& live) {
        const auto dom = live.domain(domain);
        return fn(live, dom.get());
    });
}

DomainRef domain_ref(virDomainPtr dom)
{
    DomainRef ref;
    if (const char* name = virDomainGetName(dom)) ref.name = name;
    char uuid[VIR_UUID_STRING_BUFLEN] = {};
    if (virDomainGetUUIDString(dom, uuid) == 0) ref.uuid = uuid;
    // (unsigned)-1 means "not running"; libvirt ids never come near INT_MAX otherwise.
    const unsigned id = virDomainGetID(dom);
    ref.id = id > static_cast<unsigned>(INT_MAX) ? -1 : static_cast<int>(id);
    return ref;
}

// Whether the calling thread's last error could be a refused flag: unsupported, or any invalid argument
// (the wording of virCheckFlags' message has changed over the years).
bool flag_may_be_refused()
{
    const virErrorPtr err = virGetLastError();
    if (!err) return false;
    return err->code == VIR_ERR_INVALID_ARG ||
           detail::classify_error(err->code, err->domain, err->message ? err->message : "") == ErrorKind::unsupported;
}

// One virConnectGetAllDomainStats; an empty list (not an error) when there are no domains.
int get_all_stats(LiveConnection& live, unsigned groups, unsigned flags, detail::StatsRecordList& out)
{
    virDomainStatsRecordPtr* raw = nullptr;
    const int n = virConnectGetAllDomainStats(live.get(), groups, &raw, flags);
    out.reset(raw);
    return n;
}

std::vector<DomainStatsRecord> all_stats(Connection::Impl& impl, LiveConnection& live, unsigned groups)
{
    auto& quirks = live.quirks();
    const bool nowait = impl.options.nowait && !quirks.nowait_refused;
    detail::StatsRecordList records;
    int n = get_all_stats(live, groups, nowait ? unsigned{VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT} : 0u, records);
    if (n < 0 && nowait && flag_may_be_refused()) {
        // Daemons older than 4.5 do not know NOWAIT (virCheckFlags: "unsupported flags"). If the call
        // works without it, go without it for the rest of this connection.
        const std::string refusal = detail::last_error("virConnectGetAllDomainStats").what();
        n = get_all_stats(live, groups, 0, records);
        if (n >= 0) {
            quirks.nowait_refused = true;
            util::log_info("virt", "libvirt refused VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT (" + refusal +
                                       "); collecting without it on this connection");
        }
    }
    if (n < 0) detail::throw_last_error("virConnectGetAllDomainStats");

    std::vector<DomainStatsRecord> out;
    out.reserve(static_cast<std::size_t>(n));
    std::unordered_map<std::string, detail::DomainPtr> handles;
    for (int i = 0; i < n && records[i]; ++i) {
        const virDomainStatsRecordPtr rec = records[i];
        DomainStatsRecord record{domain_ref(rec->dom), detail::convert_typed_params(rec->params, rec->nparams)};
        if (auto handle = detail::ref_domain(rec->dom)) handles.emplace(record.domain.uuid, std::move(handle));
        out.push_back(std::move(record));
    }
    live.remember_domains(std::move(handles));
    return out;
}

}  // namespace

std::vector<DomainStatsRecord> Connection::all_domain_stats(unsigned groups)
{
    return on_connection(*impl_, [&](LiveConnection& live) { return all_stats(*impl_, live, groups); });
}

std::string Connection::domain_xml(const DomainRef& domain)
{
    return on_domain(*impl_, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_domain_xml(dom, domain.name); });
}

std::vector<TypedParam> Connection::domain_info(const DomainRef& domain)
{
    return on_domain(*impl_, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_domain_info(dom, domain.name); });
}

std::vector<TypedParam> Connection::domain_state(const DomainRef& domain)
{
    return on_domain(*impl_, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_domain_state(dom, domain.name); });
}

std::vector<TypedParam> Connection::cpu_stats(const DomainRef& domain)
{
    return on_domain(*impl_, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_cpu_stats(dom, domain.name); });
}

std::vector<TypedParam> Connection::vcpu_stats(const DomainRef& domain)
{
    return on_domain(*impl_, domain, [&](LiveConnection& live, virDomainPtr dom) {
        return detail::get_vcpu_stats(dom, domain.name, live.quirks());
    });
}

std::vector<TypedParam> Connection::memory_stats(const DomainRef& domain)
{
    return on_domain(*impl_, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_memory_stats(dom, domain.name); });
}

std::vector<TypedParam> Connection::interface_stats(const DomainRef& domain, const std::string& dev)
{
    return on_domain(*impl_, domain, [&](LiveConnection&, virDomainPtr dom) {
        return detail::get_interface_stats(dom, domain.name, dev);
    });
}

std::vector<TypedParam> Connection::block_stats(const DomainRef& domain, const std::string& dev)
{
    return on_domain(*impl_, domain, [&](LiveConnection& live, virDomainPtr dom) {
        return detail::get_block_stats(dom, domain.name, dev, live.quirks());
    });
}

}  // namespace virt
