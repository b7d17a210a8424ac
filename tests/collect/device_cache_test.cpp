#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "collect/device_cache.hpp"
#include "support/manual_clock.hpp"

using namespace std::chrono_literals;

namespace {

std::string xml_with(int nics, int disks, const std::string& uuid = "u-1")
{
    std::string x = "<domain><name>vm</name><uuid>" + uuid + "</uuid><devices>";
    for (int i = 0; i < nics; ++i)
        x += "<interface type='bridge'><target dev='vnet" + std::to_string(i) + "'/></interface>";
    for (int i = 0; i < disks; ++i)
        x += "<disk type='file'><target dev='vd" + std::string(1, char('a' + i)) + "'/></disk>";
    return x + "</devices></domain>";
}

struct CountingFetch {
    std::atomic<int> calls{0};
    int nics = 1;
    int disks = 1;
    bool fail = false;
    collect::DeviceCache::Fetch fn()
    {
        return [this](const std::string& uuid) {
            ++calls;
            if (fail) throw std::runtime_error("libvirt hiccup");
            return xml_with(nics, disks, uuid);
        };
    }
};

}  // namespace

TEST_CASE("an entry is served from the cache within its TTL and fetched again after it")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 300s);
    CountingFetch f;
    REQUIRE(cache.get("u-1", f.fn()) != nullptr);
    clock.advance(299s);
    cache.get("u-1", f.fn());
    CHECK(f.calls == 1);
    clock.advance(1s);
    cache.get("u-1", f.fn());
    CHECK(f.calls == 2);
    const auto s = cache.stats();
    CHECK(s.hits == 1);
    CHECK(s.misses == 2);
    CHECK(s.size == 1);
}

TEST_CASE("a domain event invalidates the entry and the next lookup fetches")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 300s);
    CountingFetch f;
    cache.get("u-1", f.fn());
    f.nics = 2;
    cache.invalidate("u-1");
    const auto d = cache.get("u-1", f.fn());
    CHECK(f.calls == 2);
    CHECK(d->nics.size() == 2);
    cache.invalidate("never-seen");  // harmless
}

TEST_CASE("a device count that disagrees with the cache refetches once per entry lifetime")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 300s);
    CountingFetch f;
    cache.get("u-1", f.fn(), 1, 1);
    f.nics = 2;  // hot-plugged a NIC; no event reached us
    CHECK(cache.get("u-1", f.fn(), 2, 1)->nics.size() == 2);
    CHECK(f.calls == 2);
    // A driver whose counts never match its XML does not cause a fetch per lookup.
    cache.get("u-1", f.fn(), 5, 1);
    cache.get("u-1", f.fn(), 5, 1);
    CHECK(f.calls == 2);
}

TEST_CASE("a fetch after expiry whose XML still disagrees with the counts does not fetch again at once")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 300s);
    CountingFetch f;
    cache.get("u-1", f.fn(), 1, 1);
    clock.advance(300s);
    cache.get("u-1", f.fn(), 3, 1);  // expired: fetched, and the XML still has one NIC
    cache.get("u-1", f.fn(), 3, 1);
    CHECK(f.calls == 2);
}

TEST_CASE("an invalidation that arrives while the XML is being fetched leaves the new entry stale")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 300s);
    int calls = 0;
    // The callback itself invalidates: it runs without the cache lock, so this must not deadlock.
    const auto fetch = [&](const std::string& uuid) {
        if (++calls == 1) cache.invalidate(uuid);
        return xml_with(1, 1, uuid);
    };
    REQUIRE(cache.get("u-1", fetch) != nullptr);
    cache.get("u-1", fetch);
    cache.get("u-1", fetch);
    CHECK(calls == 2);
}

TEST_CASE("a new TTL applies to entries already in the cache")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 300s);
    CountingFetch f;
    cache.get("u-1", f.fn());
    cache.set_ttl(10s);
    clock.advance(10s);
    cache.get("u-1", f.fn());
    CHECK(f.calls == 2);
}

TEST_CASE("entries of domains that are gone are evicted")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 300s);
    CountingFetch f;
    cache.get("u-1", f.fn());
    cache.get("u-2", f.fn());
    cache.get("u-3", f.fn());
    cache.retain_only({"u-2"});
    CHECK(cache.stats().size == 1);
    // The one entry left is u-2's: it is served without a fetch, and u-1's is fetched again.
    const int fetched = f.calls;
    const auto kept = cache.get("u-2", f.fn());
    REQUIRE(kept != nullptr);
    CHECK(kept->uuid == "u-2");
    CHECK(f.calls == fetched);
    cache.get("u-1", f.fn());
    CHECK(f.calls == fetched + 1);
    cache.clear();
    CHECK(cache.stats().size == 0);
}

TEST_CASE("a failed fetch is counted and the previous entry keeps serving")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 10s);
    CountingFetch f;
    const auto first = cache.get("u-1", f.fn());
    clock.advance(11s);
    f.fail = true;
    CHECK(cache.get("u-1", f.fn()) == first);
    CHECK(cache.get("u-1", f.fn()) == first);  // still stale: it tries again each time
    CHECK(f.calls == 3);
    CHECK(cache.stats().errors == 2);
    CHECK(cache.get("u-unknown", f.fn()) == nullptr);
    f.fail = false;
    CHECK(cache.get("u-1", f.fn()) != first);
}

TEST_CASE("XML that does not parse is counted as an error and gives no entry")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 10s);
    CHECK(cache.get("u-1", [](const std::string&) { return std::string("<domain><name>x"); }) == nullptr);
    CHECK(cache.stats().errors == 1);
    CHECK(cache.stats().size == 0);
}

TEST_CASE("lookups from many threads at once are safe")
{
    test_support::ManualClock clock;
    collect::DeviceCache cache(clock, 1s);
    CountingFetch f;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                const std::string uuid = "u-" + std::to_string(i % 17);
                if (!cache.get(uuid, f.fn(), 1, 1)) FAIL("no entry");
                if (i % 50 == 0) cache.invalidate(uuid);
                if (t == 0 && i % 100 == 0) {
                    clock.advance(1s);
                    cache.retain_only({"u-1", "u-2"});
                }
            }
        });
    for (auto& t : threads) t.join();
    const auto s = cache.stats();
    CHECK(s.hits + s.misses == 8 * 500);
}
