#include "virt/split_stats.hpp"

#include <string>

#include "util/shares.hpp"
#include "virt/domain_listing.hpp"
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

std::vector<DomainStatsRecord> split_stats(LiveConnection& live, const std::vector<virDomainPtr>& doms,
                                           const std::vector<std::string>& uuids, unsigned groups, bool nowait,
                                           util::LogOnce& log_once)
{
    const auto shares = util::split_evenly(uuids.size(), live.helpers().size() + 1);
    auto main_share = [&doms, &shares, &live, groups, nowait](std::size_t s) {
        const auto begin = doms.begin() + static_cast<std::ptrdiff_t>(shares[s].first);
        const auto end = doms.begin() + static_cast<std::ptrdiff_t>(shares[s].second);
        if (begin == end) return std::vector<DomainStatsRecord>{};
        return list_stats(std::vector<virDomainPtr>(begin, end), groups, nowait, live.quirks());
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

    return out;
}

}  // namespace virt::detail
