// What collect records into the exporter's own instrumentation (instr/instruments.hpp): each
// collection's and each stats group's duration, each domain XML fetch, and the collections started
// beside a hung one. Durations come from the injected clock, advanced by the fake source's calls.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "collect/sampler.hpp"
#include "collect/snapshot_store.hpp"
#include "instr/instruments.hpp"
#include "support/fake_domain_source.hpp"
#include "support/manual_clock.hpp"

using namespace std::chrono_literals;

namespace {

const std::string uuid1 = "11111111-1111-1111-1111-111111111111";

struct Rig {
    test_support::FakeDomainSource src;
    test_support::ManualClock clock;
    collect::DeviceCache cache{clock, 300s};
    prometheus::Registry registry;
    instr::Instruments instruments{registry};
    collect::Sampler sampler{src, cache, clock, [this] {
                                 collect::SamplerOptions options;
                                 options.instruments = &instruments;
                                 return options;
                             }()};

    Rig()
    {
        src.bulk = {{{"vm1", uuid1, 1}, {{"state.state", std::int64_t{1}}, {"state.reason", std::int64_t{1}}}}};
        src.xml[uuid1] = "<domain type='test'><name>vm1</name><uuid>" + uuid1 + "</uuid><devices/></domain>";
        // Each libvirt call takes 3 ms of the injected clock; the XML fetch 40 ms.
        src.on_call = [this](const std::string& call) { clock.advance(call == "xml" ? 40ms : 3ms); };
    }
    bool has(const std::string& line) const
    {
        std::string text;
        instr::append_text(registry, text);
        return text.find("\n" + line + "\n") != std::string::npos;
    }
};

}  // namespace

TEST_CASE("a collection records its whole duration, each stats group's, and the XML fetch it made")
{
    Rig rig;
    const auto snap = rig.sampler.collect();
    REQUIRE(snap.libvirt_up);
    CHECK(rig.has("virt_exporter_collection_seconds_count 1"));
    CHECK(rig.has("virt_exporter_collection_seconds_bucket{le=\"0.025\"} 0"));  // 40 ms of XML fetch at least
    for (const auto& g : snap.groups)
        CHECK(rig.has("virt_exporter_collection_group_seconds_count{group=\"" +
                      std::string(virt::stats_group_name(g.group)) + "\"} 1"));
    CHECK(rig.has("virt_exporter_device_cache_fetch_duration_seconds_count 1"));
    CHECK(rig.has("virt_exporter_device_cache_fetch_duration_seconds_bucket{le=\"0.025\"} 0"));
    CHECK(rig.has("virt_exporter_device_cache_fetch_duration_seconds_bucket{le=\"0.05\"} 1"));

    rig.sampler.collect();  // the device cache holds vm1 now: no second fetch
    CHECK(rig.has("virt_exporter_collection_seconds_count 2"));
    CHECK(rig.has("virt_exporter_device_cache_fetch_duration_seconds_count 1"));
}

TEST_CASE("a collection that found no libvirt connection is not recorded")
{
    Rig rig;
    rig.src.up = false;
    const auto snap = rig.sampler.collect();
    CHECK_FALSE(snap.libvirt_up);
    CHECK(rig.has("virt_exporter_collection_seconds_count 0"));
}

TEST_CASE("a collection started beside one that made a caller give up is counted")
{
    test_support::ManualClock clock;
    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    std::atomic<int> calls{0};
    std::atomic<bool> release{false};
    collect::SnapshotStore store(
        [&calls, &release] {
            if (++calls == 2)  // the second collection hangs, like a bulk call waiting on a stuck guest
                while (!release) std::this_thread::sleep_for(5ms);
            return collect::Snapshot{};
        },
        clock, 0ms, collect::SnapshotStore::default_max_in_flight, &instruments);
    REQUIRE(store.get(5s).fresh);
    CHECK_FALSE(store.get(50ms).fresh);
    CHECK(store.get(5s).fresh);  // collection 3, beside the hung 2
    release = true;
    while (store.collections() < 3) std::this_thread::sleep_for(5ms);
    std::string text;
    instr::append_text(registry, text);
    CHECK(text.find("\nvirt_exporter_collections_beside_hung_total 1\n") != std::string::npos);
}
