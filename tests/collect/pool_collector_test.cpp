#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "collect/pool_collector.hpp"
#include "support/eventually.hpp"
#include "support/fake_domain_source.hpp"
#include "support/manual_clock.hpp"

using namespace std::chrono_literals;

namespace {

constexpr collect::PoolCollectorOptions options{.interval = 15s, .timeout = 10s, .xml_ttl = 300s};

std::string pool_xml(const std::string& type, const std::string& uuid, const std::string& path)
{
    return "<pool type='" + type + "'><name>x</name><uuid>" + uuid + "</uuid><target><path>" + path +
           "</path></target></pool>";
}

// Two pools: "fast" (dir) and "slow" (netfs), running, with sizes in bytes.
struct Rig {
    test_support::FakeDomainSource source;
    test_support::ManualClock clock;
    Rig()
    {
        source.pools = {{"fast", "11111111-1111-1111-1111-111111111111"},
                        {"slow", "22222222-2222-2222-2222-222222222222"}};
        source.pool_info["11111111-1111-1111-1111-111111111111"] = {2, 1000, 400, 600};
        source.pool_info["22222222-2222-2222-2222-222222222222"] = {2, 5000, 1000, 4000};
        source.pool_xml["11111111-1111-1111-1111-111111111111"] =
            pool_xml("dir", "11111111-1111-1111-1111-111111111111", "/srv/fast");
        source.pool_xml["22222222-2222-2222-2222-222222222222"] =
            pool_xml("netfs", "22222222-2222-2222-2222-222222222222", "/mnt/slow");
    }
};

const collect::PoolSample* find(const collect::PoolSnapshot& snap, const std::string& name)
{
    for (const auto& p : snap.pools)
        if (p.name == name) return &p;
    return nullptr;
}

}  // namespace

TEST_CASE("a round reports every pool's info with the type and target path of its XML")
{
    Rig rig;
    collect::PoolCollector collector(rig.source, rig.clock, options);
    collector.collect_round();
    const auto snap = collector.snapshot();
    CHECK(snap.enabled);
    REQUIRE(snap.pools.size() == 2);
    const auto* fast = find(snap, "fast");
    REQUIRE(fast != nullptr);
    CHECK(fast->answered);
    CHECK(fast->info == virt::StoragePoolInfo{2, 1000, 400, 600});
    CHECK(fast->type == "dir");
    CHECK(fast->target_path == "/srv/fast");
    CHECK_FALSE(fast->timed_out);
    CHECK(find(snap, "slow")->type == "netfs");
    CHECK(snap.failed == 0);
}

TEST_CASE("the XML is read once per pool within its TTL, and again after it or when the state changes")
{
    Rig rig;
    collect::PoolCollector collector(rig.source, rig.clock, options);
    collector.collect_round();
    collector.collect_round();
    CHECK(rig.source.count_of("pool_xml") == 2);
    rig.source.pool_info["11111111-1111-1111-1111-111111111111"].state = 0;
    collector.collect_round();
    CHECK(rig.source.count_of("pool_xml") == 3);
    rig.clock.advance(301s);
    collector.collect_round();
    CHECK(rig.source.count_of("pool_xml") == 5);
    CHECK(find(collector.snapshot(), "fast")->info.state == 0);
}

TEST_CASE("a failing pool is skipped and counted; the others are reported")
{
    Rig rig;
    rig.source.failing_pools.insert("22222222-2222-2222-2222-222222222222");
    collect::PoolCollector collector(rig.source, rig.clock, options);
    collector.collect_round();
    const auto snap = collector.snapshot();
    CHECK(snap.failed == 1);
    REQUIRE(snap.pools.size() == 1);
    CHECK(snap.pools[0].name == "fast");
    rig.source.failing_pools.clear();
    collector.collect_round();
    CHECK(collector.snapshot().failed == 0);
    CHECK(collector.snapshot().pools.size() == 2);
}

TEST_CASE("a pool whose XML cannot be read or parsed keeps its values with an empty type and path")
{
    Rig rig;
    rig.source.pool_xml["11111111-1111-1111-1111-111111111111"] = "<pool type='dir'><uuid>broken";
    rig.source.pool_xml.erase("22222222-2222-2222-2222-222222222222");
    collect::PoolCollector collector(rig.source, rig.clock, options);
    collector.collect_round();
    const auto snap = collector.snapshot();
    REQUIRE(snap.pools.size() == 2);
    CHECK(snap.failed == 0);
    CHECK(find(snap, "fast")->type.empty());
    CHECK(find(snap, "slow")->target_path.empty());
    CHECK(find(snap, "slow")->info.capacity == 5000);
}

TEST_CASE("without a connection, or when the listing fails, no pool is reported")
{
    Rig rig;
    collect::PoolCollector collector(rig.source, rig.clock, options);
    collector.collect_round();
    rig.source.failing.insert("pool_list");
    collector.collect_round();
    CHECK(collector.snapshot().pools.empty());
    rig.source.failing.clear();
    rig.source.up = false;
    collector.collect_round();
    CHECK(collector.snapshot().pools.empty());
    CHECK(rig.source.count_of("pool_list") == 2);  // not asked while disconnected
}

TEST_CASE("a pool that hangs is timed out after the timeout with its previous answer; the pools before it stay fresh")
{
    Rig rig;
    collect::PoolCollector collector(rig.source, rig.clock, options);
    collector.collect_round();
    rig.source.pool_info["11111111-1111-1111-1111-111111111111"].allocation = 500;
    std::atomic<bool> hang{true};
    std::atomic<bool> hanging{false};
    rig.source.on_call = [&](const std::string& call) {
        if (call != "pool_info:22222222-2222-2222-2222-222222222222") return;
        hanging = true;
        while (hang) std::this_thread::sleep_for(1ms);
    };
    std::thread round([&] { collector.collect_round(); });
    REQUIRE(test_support::eventually([&] { return hanging.load(); }));

    CHECK_FALSE(find(collector.snapshot(), "slow")->timed_out);  // within the timeout
    rig.clock.advance(11s);
    const auto snap = collector.snapshot();
    CHECK_FALSE(find(snap, "fast")->timed_out);
    CHECK(find(snap, "fast")->info.allocation == 500);
    CHECK(find(snap, "slow")->timed_out);
    CHECK(find(snap, "slow")->info.capacity == 5000);  // the previous round's answer

    hang = false;
    round.join();
    CHECK_FALSE(find(collector.snapshot(), "slow")->timed_out);
}

TEST_CASE("a call that never returns holds its one thread: no round starts beside it")
{
    Rig rig;
    std::atomic<bool> hang{true};
    rig.source.on_call = [&](const std::string& call) {
        if (call == "pool_info:11111111-1111-1111-1111-111111111111")
            while (hang) std::this_thread::sleep_for(1ms);
    };
    collect::PoolCollector collector(rig.source, rig.clock, options);
    collector.start();
    REQUIRE(test_support::eventually([&] { return rig.source.count_of("pool_list") == 1; }));
    for (int i = 0; i < 5; ++i) {
        rig.clock.advance(15s);
        std::this_thread::sleep_for(5ms);
    }
    CHECK(rig.source.count_of("pool_list") == 1);
    const auto snap = collector.snapshot();
    REQUIRE(snap.pools.size() == 2);
    CHECK(snap.pools[0].timed_out);
    CHECK_FALSE(snap.pools[0].answered);
    hang = false;
    CHECK(test_support::eventually([&] { return rig.source.count_of("pool_list") >= 2; }));
    collector.stop();
}

TEST_CASE("a round without a connection is followed within a second, not a whole interval later")
{
    Rig rig;
    rig.source.up = false;  // libvirt not connected yet, as at start-up
    collect::PoolCollector collector(rig.source, rig.clock, options);
    collector.start();
    std::this_thread::sleep_for(20ms);  // the first round has run: nothing listed
    CHECK(collector.snapshot().pools.empty());
    rig.source.up = true;
    rig.clock.advance(collect::PoolCollector::retry_interval);
    CHECK(test_support::eventually([&] { return collector.snapshot().pools.size() == 2; }));
    // Listed now: the next round waits the whole interval again.
    const auto lists = rig.source.count_of("pool_list");
    rig.clock.advance(collect::PoolCollector::retry_interval);
    std::this_thread::sleep_for(20ms);
    CHECK(rig.source.count_of("pool_list") == lists);
    collector.stop();
}
