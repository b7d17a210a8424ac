// virt::Connection's DomainSource calls: one bulk virConnectGetAllDomainStats per collection (or, with
// libvirt.parallel > 1, the split collection of split_stats.hpp), and the per-domain calls the fill-in
// falls back to. Every call runs on the connection current when it
// started (kept alive by its shared_ptr); a call failing with ErrorKind::disconnected reports the
// connection lost so the reconnect thread replaces it at once.
#include <unordered_map>
#include <utility>

#include "virt/connection.hpp"
#include "virt/connection_impl.hpp"
#include "virt/domain_calls.hpp"
#include "virt/handles.hpp"
#include "virt/libvirt_error.hpp"
#include "virt/split_stats.hpp"
#include "virt/stats_call.hpp"

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

// One virConnectGetAllDomainStats for every domain (libvirt.parallel 1).
std::vector<DomainStatsRecord> all_stats(Connection::Impl& impl, LiveConnection& live, unsigned groups)
{
    detail::StatsRecordList records;
    const int n = detail::call_stats(
        impl.options.nowait, live.quirks(), "virConnectGetAllDomainStats",
        [&](unsigned flags, detail::StatsRecordList& out) {
            virDomainStatsRecordPtr* raw = nullptr;
            const int count = virConnectGetAllDomainStats(live.get(), groups, &raw, flags);
            out.reset(raw);
            return count;
        },
        records);

    std::vector<DomainStatsRecord> out;
    detail::append_records(records, n, out);
    std::unordered_map<std::string, detail::SharedDomain> handles;
    for (int i = 0; i < n && records[i]; ++i)
        if (auto handle = detail::ref_domain(records[i]->dom))
            handles.emplace(out[static_cast<std::size_t>(i)].domain.uuid, std::move(handle));
    live.remember_domains(std::move(handles));
    return out;
}

}  // namespace

std::vector<DomainStatsRecord> Connection::all_domain_stats(unsigned groups)
{
    return on_connection(*impl_, [&](LiveConnection& live) {
        if (impl_->options.parallel > 1)
            return detail::split_stats(live, groups, impl_->options.nowait, impl_->log_once);
        return all_stats(*impl_, live, groups);
    });
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
