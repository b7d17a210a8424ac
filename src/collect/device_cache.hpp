// TTL cache of each domain's parsed XML (DomainDevices), keyed by UUID, shared by the scrape path and
// the push loop.
//
// Ownership: entries are shared_ptr<const DomainDevices>; a caller may keep one after it was evicted.
// Thread-safety: all methods are safe to call concurrently. The fetch callback runs without the cache
// lock held, so a slow virDomainGetXMLDesc for one domain does not block lookups of others.
// Throws: only std::bad_alloc; a failed fetch or parse is counted and answered with the old entry.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "collect/domain_devices.hpp"
#include "util/clock.hpp"

namespace collect {

struct DeviceCacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;  // lookups that had to fetch (absent, expired, invalidated, mismatch)
    std::uint64_t errors = 0;  // fetches or parses that failed
    std::size_t size = 0;
};

class DeviceCache {
public:
    // Returns the domain's XML; may throw anything (the cache catches and counts it).
    using Fetch = std::function<std::string(const std::string& uuid)>;

    DeviceCache(const util::Clock& clock, std::chrono::seconds ttl);

    // The cached devices of `uuid`, fetching and parsing on a miss, on expiry, after invalidate(), or
    // when the stats counted a different number of NICs/disks than the cached XML holds (a hot-plug the
    // cache has not heard of). A mismatch triggers at most one refetch per entry lifetime, so a driver
    // whose counts never agree with its XML does not cause a fetch per lookup.
    // If the XML cannot be fetched or parsed, returns the previous entry (even an expired one) so a
    // transient libvirt hiccup does not drop device labels; null when there was none.
    std::shared_ptr<const DomainDevices> get(const std::string& uuid, const Fetch& fetch,
                                             std::optional<std::size_t> nic_count = std::nullopt,
                                             std::optional<std::size_t> disk_count = std::nullopt);

    // Marks the entry stale (a domain event said its devices or metadata changed). An invalidation
    // that arrives while a fetch is in flight also marks what that fetch stores as stale, since the XML
    // it read may predate the change; the cost is at most one extra fetch.
    void invalidate(const std::string& uuid);
    // Drops every entry (e.g. after a reconnect).
    void clear();
    // Evicts the entries of domains not in `live_uuids` (they are gone).
    void retain_only(const std::vector<std::string>& live_uuids);
    void set_ttl(std::chrono::seconds ttl);

    DeviceCacheStats stats() const;

private:
    struct Entry {
        std::shared_ptr<const DomainDevices> devices;
        std::chrono::steady_clock::time_point fetched_at;
        bool stale = false;
        bool mismatch_refetched = false;
    };

    const util::Clock& clock_;
    mutable std::mutex mu_;
    std::chrono::seconds ttl_;
    std::unordered_map<std::string, Entry> entries_;
    DeviceCacheStats stats_;
    // Bumped by invalidate() and clear(); a fetch that sees it move stores its result as stale.
    std::uint64_t epoch_ = 0;
};

}  // namespace collect
