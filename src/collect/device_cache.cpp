#include "collect/device_cache.hpp"

#include <unordered_set>

#include "collect/domain_xml.hpp"
#include "util/log.hpp"

namespace collect {

DeviceCache::DeviceCache(const util::Clock& clock, std::chrono::seconds ttl) : clock_(clock), ttl_(ttl) {}

std::shared_ptr<const DomainDevices> DeviceCache::get(const std::string& uuid, const Fetch& fetch,
                                                      std::optional<std::size_t> nic_count,
                                                      std::optional<std::size_t> disk_count)
{
    const auto disagrees = [&](const DomainDevices& d) {
        return (nic_count && *nic_count != d.nics.size()) || (disk_count && *disk_count != d.disks.size());
    };
    std::shared_ptr<const DomainDevices> previous;
    bool mismatch_refetch = false;
    std::uint64_t epoch = 0;
    {
        std::lock_guard lock(mu_);
        const auto it = entries_.find(uuid);
        if (it != entries_.end()) {
            Entry& e = it->second;
            previous = e.devices;
            const bool expired = clock_.now() - e.fetched_at >= ttl_;
            const bool mismatch = e.devices && !e.mismatch_refetched && disagrees(*e.devices);
            if (!expired && !e.stale && !mismatch) {
                ++stats_.hits;
                return e.devices;
            }
            mismatch_refetch = mismatch && !expired && !e.stale;
        }
        ++stats_.misses;
        epoch = epoch_;
    }

    // Fetch without the lock: a slow virDomainGetXMLDesc for one domain must not block the others.
    std::shared_ptr<const DomainDevices> fresh;
    std::string error;
    try {
        auto parsed = parse_domain_xml(fetch(uuid));
        if (auto* devices = std::get_if<DomainDevices>(&parsed))
            fresh = std::make_shared<const DomainDevices>(std::move(*devices));
        else
            error = std::get<XmlError>(parsed).message;
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "unknown error";
    }

    std::lock_guard lock(mu_);
    if (!fresh) {
        ++stats_.errors;
        util::log_debug("collect", "device cache: cannot refresh " + uuid + ": " + error);
        // Keep serving what we had: a transient libvirt hiccup should not drop device labels. The
        // entry stays stale, so the next lookup tries again. Another thread may have stored a newer
        // entry meanwhile; prefer that one.
        if (const auto it = entries_.find(uuid); it != entries_.end() && it->second.devices) return it->second.devices;
        return previous;
    }
    Entry& e = entries_[uuid];
    e.devices = fresh;
    e.fetched_at = clock_.now();
    e.stale = epoch != epoch_;
    // The XML was just read: if the stats' counts still disagree, another fetch would not help, so
    // this entry has used up its mismatch refetch (a driver whose counts never agree with its XML
    // must not cause a fetch per lookup).
    e.mismatch_refetched = mismatch_refetch || disagrees(*fresh);
    return fresh;
}

void DeviceCache::invalidate(const std::string& uuid)
{
    std::lock_guard lock(mu_);
    ++epoch_;
    if (const auto it = entries_.find(uuid); it != entries_.end()) it->second.stale = true;
}

void DeviceCache::clear()
{
    std::lock_guard lock(mu_);
    ++epoch_;
    entries_.clear();
}

void DeviceCache::retain_only(const std::vector<std::string>& live_uuids)
{
    const std::unordered_set<std::string> live(live_uuids.begin(), live_uuids.end());
    std::lock_guard lock(mu_);
    std::erase_if(entries_, [&](const auto& kv) { return !live.contains(kv.first); });
}

void DeviceCache::set_ttl(std::chrono::seconds ttl)
{
    std::lock_guard lock(mu_);
    ttl_ = ttl;
}

DeviceCacheStats DeviceCache::stats() const
{
    std::lock_guard lock(mu_);
    DeviceCacheStats s = stats_;
    s.size = entries_.size();
    return s;
}

}  // namespace collect
