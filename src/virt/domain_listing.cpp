#include "virt/domain_listing.hpp"

#include <unordered_map>
#include <utility>

#include "virt/libvirt_error.hpp"
#include "virt/stats_call.hpp"

namespace virt::detail {

Listing list_domains(LiveConnection& live)
{
    virDomainPtr* raw = nullptr;
    const int n = virConnectListAllDomains(live.get(), &raw, 0);
    if (n < 0) throw_last_error("virConnectListAllDomains");
    Listing listing{DomainList(raw), {}, {}};
    listing.doms.reserve(static_cast<std::size_t>(n));
    listing.refs.reserve(static_cast<std::size_t>(n));
    std::unordered_map<std::string, SharedDomain> handles;
    handles.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        listing.doms.push_back(listing.list[i]);
        listing.refs.push_back(domain_ref(listing.list[i]));
        if (auto h = ref_domain(listing.list[i])) handles.emplace(listing.refs.back().uuid, std::move(h));
    }
    live.remember_domains(std::move(handles));
    return listing;
}

std::vector<DomainStatsRecord> list_stats(std::vector<virDomainPtr> doms, unsigned groups, bool nowait,
                                          DriverQuirks& quirks)
{
    doms.push_back(nullptr);  // libvirt takes a NULL-terminated array
    StatsRecordList list;
    const int n = call_stats(
        nowait, quirks, "virDomainListGetStats",
        [&](unsigned flags, StatsRecordList& out) {
            virDomainStatsRecordPtr* raw = nullptr;
            const int count = virDomainListGetStats(doms.data(), libvirt_stats_groups(groups), &raw, flags);
            out.reset(raw);
            return count;
        },
        list);
    std::vector<DomainStatsRecord> records;
    append_records(list, n, records);
    return records;
}

}  // namespace virt::detail
