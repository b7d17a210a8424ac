#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "collect/guest_agent_collector.hpp"
#include "support/eventually.hpp"
#include "support/fake_domain_source.hpp"
#include "support/manual_clock.hpp"

using namespace std::chrono_literals;

namespace {

constexpr const char* web_uuid = "11111111-1111-1111-1111-111111111111";
constexpr const char* db_uuid = "22222222-2222-2222-2222-222222222222";
constexpr const char* off_uuid = "33333333-3333-3333-3333-333333333333";

collect::GuestAgentCollectorOptions options()
{
    return {.interval = 60s, .filter = {}};
}

// "web" and "db" running, "off" shut off; web's agent answers with one filesystem.
struct Rig {
    test_support::FakeDomainSource source;
    test_support::ManualClock clock;
    Rig()
    {
        source.bulk = {{{"web", web_uuid, 1}, {}}, {{"db", db_uuid, 2}, {}}, {{"off", off_uuid, -1}, {}}};
        source.answers[std::string("guest_fs:") + web_uuid] = {
            {"fs.count", std::uint64_t{1}},          {"fs.0.mountpoint", std::string("/")},
            {"fs.0.fstype", std::string("ext4")},    {"fs.0.total-bytes", std::uint64_t{1000}},
            {"fs.0.used-bytes", std::uint64_t{400}},
        };
    }
};

const collect::GuestAgentSample* find(const collect::GuestAgentSnapshot& snap, const std::string& name)
{
    for (const auto& d : snap.domains)
        if (d.name == name) return &d;
    return nullptr;
}

// A source whose guest_fs calls fail for `uuid` only.
struct FailingFor : test_support::FakeDomainSource {
    std::string uuid;
    std::vector<virt::TypedParam> guest_filesystems(const virt::DomainRef& d) override
    {
        if (d.uuid == uuid) {
            (void)FakeDomainSource::guest_filesystems(d);  // counted
            throw virt::Error(virt::ErrorKind::other, "Guest agent is not responding");
        }
        return FakeDomainSource::guest_filesystems(d);
    }
};

}  // namespace

TEST_CASE("a round asks each running domain and serves its filesystems with their age")
{
    Rig rig;
    collect::GuestAgentCollector collector(rig.source, rig.clock, options());
    collector.collect_round();
    CHECK(rig.source.count_of("guest_fs") == 2);  // not the shut-off domain
    rig.clock.advance(5s);
    const auto snap = collector.snapshot();
    CHECK(snap.enabled);
    REQUIRE(snap.domains.size() == 2);
    const auto* web = find(snap, "web");
    REQUIRE(web != nullptr);
    CHECK(web->up);
    CHECK(web->uuid == web_uuid);
    REQUIRE(web->age_seconds);
    CHECK(*web->age_seconds == doctest::Approx(5.0));
    REQUIRE(web->filesystems.size() == 1);
    CHECK(web->filesystems[0].used_bytes == 400u);
    CHECK(find(snap, "off") == nullptr);
}

TEST_CASE("a domain whose agent does not answer is down and asked again after a growing backoff")
{
    FailingFor source;
    source.bulk = {{{"web", web_uuid, 1}, {}}, {{"db", db_uuid, 2}, {}}};
    source.uuid = db_uuid;
    test_support::ManualClock clock;
    collect::GuestAgentCollector collector(source, clock, options());
    std::vector<int> asked;  // db's calls after each round
    for (int round = 0; round < 24; ++round) {
        collector.collect_round();
        asked.push_back(source.count_of("guest_fs") - (round + 1));  // minus web's, one per round
    }
    // Rounds 1, 2, 4, 8, 16, 24: a wait of 1, 2, 4, 8, then 8 rounds (the cap).
    CHECK(asked[0] == 1);
    CHECK(asked[1] == 2);
    CHECK(asked[2] == 2);
    CHECK(asked[3] == 3);
    CHECK(asked[6] == 3);
    CHECK(asked[7] == 4);
    CHECK(asked[15] == 5);
    CHECK(asked[23] == 6);
    const auto snap = collector.snapshot();
    const auto* db = find(snap, "db");
    REQUIRE(db != nullptr);
    CHECK_FALSE(db->up);
    CHECK_FALSE(db->age_seconds);
    CHECK(find(snap, "web")->up);
}

TEST_CASE("after a failure the last answer is served with its age, and one answer ends the backoff")
{
    FailingFor source;
    source.bulk = {{{"web", web_uuid, 1}, {}}};
    source.answers[std::string("guest_fs:") + web_uuid] = {{"fs.count", std::uint64_t{1}},
                                                           {"fs.0.mountpoint", std::string("/")}};
    test_support::ManualClock clock;
    collect::GuestAgentCollector collector(source, clock, options());
    collector.collect_round();
    source.uuid = web_uuid;  // the agent freezes
    clock.advance(60s);
    collector.collect_round();
    auto snap = collector.snapshot();
    REQUIRE(snap.domains.size() == 1);
    CHECK_FALSE(snap.domains[0].up);
    CHECK(snap.domains[0].filesystems.size() == 1);
    CHECK(*snap.domains[0].age_seconds == doctest::Approx(60.0));
    collector.collect_round();  // asked again after one round
    CHECK(source.count_of("guest_fs") == 3);
    source.uuid.clear();        // it answers again
    collector.collect_round();  // two failures: a wait of two rounds
    CHECK(source.count_of("guest_fs") == 3);
    collector.collect_round();
    CHECK(source.count_of("guest_fs") == 4);
    CHECK(collector.snapshot().domains[0].up);
    collector.collect_round();
    CHECK(source.count_of("guest_fs") == 5);  // every round again
}

TEST_CASE("a domain that stops running is dropped, and the filter's excluded domains are never asked")
{
    Rig rig;
    auto opts = options();
    opts.filter.exclude.push_back(std::make_shared<const std::regex>("db"));
    collect::GuestAgentCollector collector(rig.source, rig.clock, opts);
    collector.collect_round();
    CHECK(rig.source.count_of("guest_fs") == 1);
    CHECK(collector.snapshot().domains.size() == 1);
    rig.source.bulk[0].domain.id = -1;  // web shut off
    collector.collect_round();
    CHECK(collector.snapshot().domains.empty());
}

TEST_CASE("without a connection nothing is asked and the last answers stay")
{
    Rig rig;
    collect::GuestAgentCollector collector(rig.source, rig.clock, options());
    collector.collect_round();
    rig.source.up = false;
    collector.collect_round();
    CHECK(rig.source.count_of("guest_fs") == 2);
    CHECK(collector.snapshot().domains.size() == 2);
}

// A source whose guest_fs calls for `uuid` wait inside the call (an agent hung in its query) until released.
struct HangingFor : test_support::FakeDomainSource {
    std::string uuid;
    std::atomic<bool> hang{true};
    std::atomic<int> hanging{0};  // calls waiting now
    std::vector<virt::TypedParam> guest_filesystems(const virt::DomainRef& d) override
    {
        if (d.uuid == uuid) {
            ++hanging;
            while (hang) std::this_thread::sleep_for(1ms);
            --hanging;
        }
        return FakeDomainSource::guest_filesystems(d);
    }
};

TEST_CASE("a call that hangs holds one worker: its domain is not asked again, the others are every round")
{
    HangingFor source;
    source.bulk = {{{"web", web_uuid, 1}, {}}, {{"db", db_uuid, 2}, {}}};
    source.uuid = web_uuid;
    test_support::ManualClock clock;
    collect::GuestAgentCollector collector(source, clock, options());
    collector.start();
    CHECK(test_support::eventually([&] { return source.hanging.load() == 1 && source.count_of("guest_fs") == 1; }));
    for (int round = 2; round <= 5; ++round) {
        clock.advance(60s);
        // db is asked in every round while web's call still hangs; web is never asked a second time.
        CHECK(test_support::eventually([&] { return source.count_of("guest_fs") == round; }));
        CHECK(source.hanging.load() == 1);
    }
    const auto snap = collector.snapshot();
    REQUIRE(find(snap, "db") != nullptr);
    CHECK(find(snap, "db")->up);
    CHECK(find(snap, "web") == nullptr);  // nothing answered yet, and the snapshot does not wait for it
    source.hang = false;
    CHECK(test_support::eventually([&] { return find(collector.snapshot(), "web") != nullptr; }));
    collector.stop();
}

TEST_CASE("as many hung calls as workers leave the other domains unasked until one returns, never asked twice")
{
    // A source whose calls for every domain but "free" hang until released.
    struct AllHang : test_support::FakeDomainSource {
        std::atomic<bool> hang{true};
        std::atomic<int> hanging{0};
        std::vector<virt::TypedParam> guest_filesystems(const virt::DomainRef& d) override
        {
            if (d.name != "free") {
                ++hanging;
                while (hang) std::this_thread::sleep_for(1ms);
                --hanging;
            }
            return FakeDomainSource::guest_filesystems(d);
        }
    } source;
    constexpr unsigned hung = collect::GuestAgentCollector::worker_count;
    for (unsigned i = 0; i < hung; ++i) {
        const std::string uuid = "00000000-0000-0000-0000-00000000000" + std::to_string(i);
        source.bulk.push_back({{"hung-" + std::to_string(i), uuid, static_cast<int>(i + 1)}, {}});
    }
    source.bulk.push_back({{"free", "ffffffff-ffff-ffff-ffff-ffffffffffff", 99}, {}});
    test_support::ManualClock clock;
    collect::GuestAgentCollector collector(source, clock, options());
    collector.start();
    CHECK(test_support::eventually([&] { return source.hanging.load() == static_cast<int>(hung); }));
    for (int round = 0; round < 3; ++round) {
        clock.advance(60s);
        std::this_thread::sleep_for(20ms);
    }
    CHECK(source.hanging.load() == static_cast<int>(hung));
    CHECK(source.count_of("guest_fs") == 0);  // none returned, and "free" waits in the queue (once)
    source.hang = false;
    CHECK(test_support::eventually([&] { return find(collector.snapshot(), "free") != nullptr; }));
    CHECK(source.count_of("guest_fs") == static_cast<int>(hung) + 1);
    collector.stop();
}
