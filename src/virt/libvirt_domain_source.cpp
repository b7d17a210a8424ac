// virt::Connection's DomainSource calls: one bulk virConnectGetAllDomainStats per collection
// (stats_call.hpp; with libvirt.parallel > 1, the split collection of split_stats.hpp), and the
// per-domain calls the fill-in falls back to (domain_calls.hpp). Every call runs on the connection
// current when it started (kept alive by its shared_ptr) and is watched for an answer
// (answer_watch.hpp); a call failing with ErrorKind::disconnected reports the connection lost so the
// reconnect thread replaces it at once. Each call that found a connection is counted under the libvirt
// API doing its work (instr::LibvirtApi) when the Connection has instruments. The storage-pool calls
// (pool_calls.hpp) go through the same seam and are counted the same way.
#include <utility>

#include "instr/instruments.hpp"

#include "virt/connection.hpp"
#include "virt/connection_impl.hpp"
#include "virt/domain_calls.hpp"
#include "virt/domain_listing.hpp"
#include "virt/handles.hpp"
#include "virt/libvirt_error.hpp"
#include "virt/pool_calls.hpp"
#include "virt/split_stats.hpp"
#include "virt/stats_call.hpp"

namespace virt {
namespace {

using detail::LiveConnection;

using instr::LibvirtApi;

// Runs `fn` (a call of `api`) on the current connection and reports a lost connection before
// rethrowing. The call is counted once a connection is there to make it on.
template <typename Fn>
auto on_connection(Connection::Impl& impl, LibvirtApi api, Fn&& fn)
{
    auto live = impl.current_or_throw();
    if (impl.instruments) impl.instruments->record_libvirt_call(api);
    const detail::CallInFlight waiting(live->answers(), impl.clock);
    try {
        return fn(*live);
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::disconnected) impl.connection_lost(live->generation(), e.what());
        throw;
    }
}

// Same, with a handle for `domain` (from the last listing, else looked up by UUID).
template <typename Fn>
auto on_domain(Connection::Impl& impl, LibvirtApi api, const DomainRef& domain, Fn&& fn)
{
    return on_connection(impl, api, [&](LiveConnection& live) {
        const auto dom = live.domain(domain);
        return fn(live, dom.get());
    });
}

}  // namespace

std::vector<DomainStatsRecord> Connection::all_domain_stats(unsigned groups)
{
    const auto api =
        impl_->options.parallel > 1 ? LibvirtApi::domain_list_get_stats : LibvirtApi::connect_get_all_domain_stats;
    return on_connection(*impl_, api, [&](LiveConnection& live) {
        if (impl_->options.parallel > 1) {
            const detail::Listing listing = detail::list_domains(live);
            std::vector<std::string> uuids;
            uuids.reserve(listing.refs.size());
            for (const auto& r : listing.refs) uuids.push_back(r.uuid);
            return detail::split_stats(live, listing.doms, uuids, groups, impl_->options.nowait, impl_->log_once);
        }
        return detail::all_stats(live, groups, impl_->options.nowait);
    });
}

std::vector<DomainRef> Connection::list_domains()
{
    return on_connection(*impl_, LibvirtApi::connect_list_all_domains,
                         [&](LiveConnection& live) { return detail::list_domains(live).refs; });
}

std::vector<DomainStatsRecord> Connection::domain_stats(const std::vector<DomainRef>& domains, unsigned groups)
{
    return on_connection(*impl_, LibvirtApi::domain_list_get_stats, [&](LiveConnection& live) {
        std::vector<detail::SharedDomain> handles;  // hold the handles for the duration of the call
        std::vector<virDomainPtr> doms;
        std::vector<std::string> uuids;
        handles.reserve(domains.size());
        for (const auto& d : domains) {
            try {
                handles.push_back(live.domain(d));
            } catch (const Error& e) {
                if (e.kind() == ErrorKind::no_domain) continue;  // gone since the listing
                throw;
            }
            doms.push_back(handles.back().get());
            uuids.push_back(d.uuid);
        }
        if (doms.empty()) return std::vector<DomainStatsRecord>{};
        if (impl_->options.parallel > 1)
            return detail::split_stats(live, doms, uuids, groups, impl_->options.nowait, impl_->log_once);
        return detail::list_stats(std::move(doms), groups, impl_->options.nowait, live.quirks());
    });
}

std::string Connection::domain_xml(const DomainRef& domain)
{
    return on_domain(*impl_, LibvirtApi::domain_get_xml_desc, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_domain_xml(dom, domain.name); });
}

std::vector<TypedParam> Connection::domain_info(const DomainRef& domain)
{
    return on_domain(*impl_, LibvirtApi::domain_get_info, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_domain_info(dom, domain.name); });
}

std::vector<TypedParam> Connection::domain_state(const DomainRef& domain)
{
    return on_domain(*impl_, LibvirtApi::domain_get_state, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_domain_state(dom, domain.name); });
}

std::vector<TypedParam> Connection::cpu_stats(const DomainRef& domain)
{
    return on_domain(*impl_, LibvirtApi::domain_get_cpu_stats, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_cpu_stats(dom, domain.name); });
}

std::vector<TypedParam> Connection::vcpu_stats(const DomainRef& domain)
{
    return on_domain(*impl_, LibvirtApi::domain_get_vcpus, domain, [&](LiveConnection& live, virDomainPtr dom) {
        return detail::get_vcpu_stats(dom, domain.name, live.quirks());
    });
}

std::vector<TypedParam> Connection::memory_stats(const DomainRef& domain)
{
    return on_domain(*impl_, LibvirtApi::domain_memory_stats, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_memory_stats(dom, domain.name); });
}

std::vector<TypedParam> Connection::interface_stats(const DomainRef& domain, const std::string& dev)
{
    return on_domain(*impl_, LibvirtApi::domain_interface_stats, domain, [&](LiveConnection&, virDomainPtr dom) {
        return detail::get_interface_stats(dom, domain.name, dev);
    });
}

std::vector<TypedParam> Connection::block_stats(const DomainRef& domain, const std::string& dev)
{
    return on_domain(*impl_, LibvirtApi::domain_block_stats, domain, [&](LiveConnection& live, virDomainPtr dom) {
        return detail::get_block_stats(dom, domain.name, dev, live.quirks());
    });
}

std::vector<StoragePoolRef> Connection::list_storage_pools()
{
    return on_connection(*impl_, LibvirtApi::connect_list_all_storage_pools,
                         [](LiveConnection& live) { return detail::list_storage_pools(live.get()); });
}

StoragePoolInfo Connection::storage_pool_info(const StoragePoolRef& pool)
{
    return on_connection(*impl_, LibvirtApi::storage_pool_get_info,
                         [&](LiveConnection& live) { return detail::get_storage_pool_info(live.get(), pool); });
}

std::string Connection::storage_pool_xml(const StoragePoolRef& pool)
{
    return on_connection(*impl_, LibvirtApi::storage_pool_get_xml_desc,
                         [&](LiveConnection& live) { return detail::get_storage_pool_xml(live.get(), pool); });
}

JobStats Connection::job_stats(const DomainRef& domain)
{
    return on_domain(*impl_, LibvirtApi::domain_get_job_stats, domain,
                     [&](LiveConnection&, virDomainPtr dom) { return detail::get_job_stats(dom, domain.name); });
}

std::vector<TypedParam> Connection::guest_filesystems(const DomainRef& domain)
{
    return on_domain(*impl_, LibvirtApi::domain_get_guest_info, domain, [&](LiveConnection&, virDomainPtr dom) {
        return detail::get_guest_filesystems(dom, domain.name);
    });
}

std::vector<VcpuPlacement> Connection::vcpu_placement(const DomainRef& domain)
{
    return on_domain(*impl_, LibvirtApi::domain_get_vcpus, domain, [&](LiveConnection& live, virDomainPtr dom) {
        return detail::get_vcpu_placement(live.get(), dom, domain.name, live.quirks());
    });
}

std::vector<TypedParam> Connection::block_iotune(const DomainRef& domain, const std::string& dev)
{
    return on_domain(*impl_, LibvirtApi::domain_get_block_io_tune, domain, [&](LiveConnection&, virDomainPtr dom) {
        return detail::get_block_iotune(dom, domain.name, dev);
    });
}

}  // namespace virt
