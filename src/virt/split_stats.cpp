#include "virt/split_stats.hpp"

#include <string>
#include <unordered_map>

#include "util/shares.hpp"
#include "virt/helper_connections.hpp"
#include "virt/libvirt_error.hpp"
#include "virt/stats_call.hpp"

namespace virt::detail {
namespace {

// What one share produced; `error` is set instead of throwing across a thread.
struct ShareResult {
    std::vector<DomainStatsRecord> records;
    std::string error;
};

// virDomainListGetStats for `doms` (all of one connection); throws virt::Error.
std::vector<DomainStatsRecord> list_stats(std::vector<virDomainPtr> doms, unsigned groups, bool nowait,
                                          DriverQuirks& quirks)
{
    doms.push_back(nullptr);  // libvirt takes a NULL-terminated array
    StatsRecordList list;
    const int n = call_stats(
        nowait, quirks, "virDomainListGetStats",
        [&](unsigned flags, StatsRecordList& out) {
            virDomainStatsRecordPtr* raw = nullptr;
            const int count = virDomainListGetStats(doms.data(), groups, &raw, flags);
            out.reset(raw);
            return count;
        },
        list);
    std::vector<DomainStatsRecord> records;
    append_records(list, n, records);
    return records;
}

// The domains `share` of `all_uuids` on helper `i`. Runs on its own thread: nothing escapes.
ShareResult helper_share(LiveConnection& live, unsigned i, const std::vector<std::string>& all_uuids, util::Share share,
                         unsigned groups, bool nowait) noexcept
{
    ShareResult result;
    std::shared_ptr<HelperConnection> helper;
    try {
        const std::vector<std::string> uuids(all_uuids.begin() + static_cast<std::ptrdiff_t>(share.first),
                                             all_uuids.begin() + static_cast<std::ptrdiff_t>(share.second));
        helper = live.helpers().get(i);
        std::vector<DomainPtr> handles = helper->domains(uuids);
        if (handles.empty()) return result;  // every domain of the share is gone
        std::vector<virDomainPtr> doms;
        doms.reserve(handles.size());
        for (const auto& h : handles) doms.push_back(h.get());
        result.records = list_stats(std::move(doms), groups, nowait, live.quirks());
    } catch (const std::exception& e) {
        result.error = e.what();
    } catch (...) {
        result.error = "unknown error";
    }
    if (!result.error.empty()) live.helpers().drop(i, helper);
    return result;
}

}  // namespace

std::vector<DomainStatsRecord> split_stats(LiveConnection& live, unsigned groups, bool nowait, util::LogOnce& log_once)
{
    virDomainPtr* raw = nullptr;
    const int n = virConnectListAllDomains(live.get(), &raw, 0);
    if (n < 0) throw_last_error("virConnectListAllDomains");
    const DomainList listed(raw);
    std::vector<std::string> uuids;
    uuids.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) uuids.push_back(uuid_of(listed[i]));

    const auto shares = util::split_evenly(uuids.size(), live.helpers().size() + 1);
    auto main_share = [&listed, &shares, &live, groups, nowait](std::size_t s) {
        return list_stats(std::vector<virDomainPtr>(listed.get() + shares[s].first, listed.get() + shares[s].second),
                          groups, nowait, live.quirks());
    };
    // Share 0 on the main connection (its errors are the collection's), share s on helper s - 1.
    std::vector<ShareResult> results(shares.size());
    util::run_shares(shares.size(), [&results, &main_share, &live, &uuids, &shares, groups, nowait](std::size_t s) {
        if (s == 0)
            results[0].records = main_share(0);
        else
            results[s] = helper_share(live, static_cast<unsigned>(s - 1), uuids, shares[s], groups, nowait);
    });

    std::vector<DomainStatsRecord> out;
    out.reserve(uuids.size());
    for (std::size_t s = 0; s < results.size(); ++s) {
        const std::string key = "helper " + std::to_string(s);
        if (!results[s].error.empty()) {
            log_once.log(util::LogLevel::warn, "virt", key,
                         "parallel collection: " + key + " failed (" + results[s].error +
                             "); collecting its share on the main connection");
            results[s].records = main_share(s);
        } else if (s > 0 && log_once.clear(key)) {
            util::log_info("virt", "parallel collection: " + key + " works again");
        }
        for (auto& r : results[s].records) out.push_back(std::move(r));
    }

    std::unordered_map<std::string, SharedDomain> handles;
    handles.reserve(uuids.size());
    for (int i = 0; i < n; ++i)
        if (auto h = ref_domain(listed[i])) handles.emplace(uuids[static_cast<std::size_t>(i)], std::move(h));
    live.remember_domains(std::move(handles));
    return out;
}

}  // namespace virt::detail
