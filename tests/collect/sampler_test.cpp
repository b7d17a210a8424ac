#include <doctest/doctest.h>

#include "collect/sampler.hpp"
#include "support/fake_domain_source.hpp"
#include "support/group_status.hpp"
#include "support/manual_clock.hpp"

using namespace std::chrono_literals;
using test_support::FakeDomainSource;
using test_support::group;

namespace {

const char* const xml_vm1 = R"(<domain type='test'><name>vm1</name>
<uuid>11111111-1111-1111-1111-111111111111</uuid>
<os><type arch='x86_64' machine='pc'>hvm</type></os>
<devices>
  <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/img/vm1.qcow2'/>
    <target dev='vda' bus='virtio'/></disk>
  <interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/>
    <target dev='testnet0'/><model type='virtio'/></interface>
  <interface type='user'><mac address='52:54:00:00:00:02'/></interface>
</devices></domain>)";

const std::string uuid1 = "11111111-1111-1111-1111-111111111111";

virt::DomainStatsRecord state_only(const std::string& name, const std::string& uuid, int id)
{
    return {{name, uuid, id}, {{"state.state", std::int64_t{id < 0 ? 5 : 1}}, {"state.reason", std::int64_t{1}}}};
}

// A source that behaves like libvirt's test driver: bulk gives state only, per-domain calls work.
void script_test_driver(FakeDomainSource& src)
{
    src.bulk = {state_only("vm1", uuid1, 1)};
    src.xml[uuid1] = xml_vm1;
    src.answers["info:" + uuid1] = {{"state.state", std::int64_t{1}},
                                    {"balloon.maximum", std::uint64_t{1024}},
                                    {"balloon.current", std::uint64_t{512}},
                                    {"vcpu.current", std::uint64_t{2}},
                                    {"cpu.time", std::uint64_t{111}}};
    src.answers["cpu:" + uuid1] = {{"cpu.time", std::uint64_t{222}}, {"cpu.user", std::uint64_t{100}}};
    src.answers["interface:" + uuid1 + ":testnet0"] = {{"rx.bytes", std::uint64_t{10}},
                                                       {"tx.bytes", std::uint64_t{20}}};
    src.answers["block:" + uuid1 + ":vda"] = {{"rd.reqs", std::uint64_t{3}}, {"capacity", std::uint64_t{4096}}};
}

struct Rig {
    explicit Rig(collect::SamplerOptions options = {}) : sampler{src, cache, clock, std::move(options)} {}
    FakeDomainSource src;
    test_support::ManualClock clock;
    collect::DeviceCache cache{clock, 300s};
    collect::Sampler sampler;
};

}  // namespace

TEST_CASE("groups the bulk call leaves empty are filled in per domain, with device targets from the XML")
{
    Rig rig;
    script_test_driver(rig.src);
    const auto snap = rig.sampler.collect();
    CHECK(snap.libvirt_up);
    CHECK(snap.complete);
    REQUIRE(snap.domains.size() == 1);
    const auto& d = snap.domains[0];
    CHECK(d.cpu.time == 111u);  // virDomainGetInfo answers first; the first value wins
    CHECK(d.cpu.user == 100u);
    CHECK(d.balloon.current == 512u);
    CHECK(d.vcpu.current == 2u);
    CHECK(d.nic_count == 2u);  // the user NIC is counted, but has no target to ask about
    REQUIRE(d.nics.size() == 1);
    CHECK(d.nics[0].name == "testnet0");
    CHECK(d.nics[0].rx_bytes == 10u);
    REQUIRE(d.nics[0].info != nullptr);
    CHECK(d.nics[0].info->source_bridge == "br0");
    REQUIRE(d.disks.size() == 1);
    CHECK(d.disks[0].rd_reqs == 3u);
    CHECK(d.disks[0].path == "/img/vm1.qcow2");
    REQUIRE(d.disks[0].info != nullptr);
    CHECK(d.disks[0].info->driver_type == "qcow2");
    CHECK(group(snap, virt::stats_interface).per_domain);
    CHECK_FALSE(group(snap, virt::stats_state).per_domain);
}

TEST_CASE("where the bulk call serves every group no per-domain call is made")
{
    Rig rig;
    script_test_driver(rig.src);
    rig.src.bulk[0].params.push_back({"cpu.time", std::uint64_t{5}});
    rig.src.bulk[0].params.push_back({"balloon.current", std::uint64_t{5}});
    rig.src.bulk[0].params.push_back({"vcpu.current", std::uint64_t{1}});
    rig.src.bulk[0].params.push_back({"net.count", std::uint64_t{0}});
    rig.src.bulk[0].params.push_back({"block.count", std::uint64_t{0}});
    rig.sampler.collect();
    // A later record without some group (a domain stuck in a job under NOWAIT) is not filled in either.
    rig.src.bulk.push_back(state_only("vm2", "22222222-2222-2222-2222-222222222222", 2));
    rig.sampler.collect();
    for (const char* call : {"info", "state", "cpu", "vcpu", "memory", "interface", "block"})
        CHECK(rig.src.count_of(call) == 0);
}

TEST_CASE("an unsupported per-domain call is made once per connection")
{
    Rig rig;
    script_test_driver(rig.src);
    rig.src.unsupported = {"memory"};
    rig.sampler.collect();
    const auto snap = rig.sampler.collect();
    CHECK(rig.src.count_of("memory") == 1);
    CHECK(group(snap, virt::stats_balloon).success);  // unsupported is not a failure
    rig.src.gen = 2;                                  // reconnected: maybe to an upgraded daemon, so ask again
    rig.sampler.collect();
    CHECK(rig.src.count_of("memory") == 2);
}

TEST_CASE("a failing per-domain call marks its group failed and keeps everything else")
{
    Rig rig;
    script_test_driver(rig.src);
    rig.src.failing = {"block"};
    const auto snap = rig.sampler.collect();
    CHECK(snap.libvirt_up);
    CHECK_FALSE(group(snap, virt::stats_block).success);
    CHECK(group(snap, virt::stats_block).error.find("block failed") != std::string::npos);
    CHECK(group(snap, virt::stats_interface).success);
    REQUIRE(snap.domains.size() == 1);
    CHECK(snap.domains[0].nics.size() == 1);
    REQUIRE(snap.domains[0].disks.size() == 1);
    CHECK_FALSE(snap.domains[0].disks[0].rd_reqs.has_value());
}

TEST_CASE("libvirt being unreachable gives libvirt_up false and every group failed")
{
    Rig rig;
    rig.src.up = false;
    const auto snap = rig.sampler.collect();
    CHECK_FALSE(snap.libvirt_up);
    CHECK(snap.domains.empty());
    CHECK_FALSE(snap.error.empty());
    for (const auto& g : snap.groups) CHECK_FALSE(g.success);
    CHECK(rig.src.count_of("bulk") == 0);
}

TEST_CASE("inactive domains get no per-domain calls beyond their state")
{
    Rig rig;
    rig.src.bulk = {state_only("off", uuid1, -1)};
    rig.src.xml[uuid1] = xml_vm1;
    const auto snap = rig.sampler.collect();
    REQUIRE(snap.domains.size() == 1);
    CHECK(snap.domains[0].state.state == 5);
    CHECK(rig.src.count_of("info") == 0);
    CHECK(rig.src.count_of("interface") == 0);
    CHECK(snap.domains[0].devices != nullptr);  // XML attributes are still shown
}

TEST_CASE("device-cache entries of domains that are gone are evicted")
{
    Rig rig;
    script_test_driver(rig.src);
    const std::string uuid2 = "22222222-2222-2222-2222-222222222222";
    rig.src.bulk.push_back(state_only("vm2", uuid2, 2));
    rig.src.xml[uuid2] = std::string(xml_vm1).replace(std::string(xml_vm1).find(uuid1), uuid1.size(), uuid2);
    rig.sampler.collect();
    CHECK(rig.cache.stats().size == 2);
    rig.src.bulk.pop_back();
    rig.sampler.collect();
    CHECK(rig.cache.stats().size == 1);
}

TEST_CASE("the fill-in stops at the collection budget and the snapshot says it is incomplete")
{
    Rig rig;
    script_test_driver(rig.src);
    rig.src.bulk.push_back(state_only("vm2", "22222222-2222-2222-2222-222222222222", 2));
    rig.src.on_call = [&](const std::string& call) {
        if (call == "info") rig.clock.advance(11s);  // the first domain's calls eat the whole budget
    };
    const auto snap = rig.sampler.collect();
    CHECK(snap.libvirt_up);
    CHECK_FALSE(snap.complete);
    CHECK(snap.error.find("budget") != std::string::npos);
    REQUIRE(snap.domains.size() == 2);
    CHECK(snap.domains[0].cpu.time.has_value());
    CHECK_FALSE(snap.domains[1].cpu.time.has_value());
    CHECK(rig.src.count_of("info") == 1);
    CHECK_FALSE(snap.domains[0].timed_out);
    CHECK(snap.domains[1].timed_out);  // libvirt_domain_timed_out 1: its per-domain values were never asked for
}

TEST_CASE("a domain whose per-domain call found it busy in a job is marked timed out, the others are not")
{
    Rig rig;
    script_test_driver(rig.src);
    rig.src.bulk.push_back(state_only("vm2", "22222222-2222-2222-2222-222222222222", 2));
    rig.src.busy = {"memory"};
    auto snap = rig.sampler.collect();
    REQUIRE(snap.domains.size() == 2);
    CHECK(snap.domains[0].timed_out);
    CHECK(snap.domains[1].timed_out);
    rig.src.busy.clear();
    snap = rig.sampler.collect();
    CHECK_FALSE(snap.domains[0].timed_out);
    CHECK_FALSE(snap.domains[1].timed_out);
}

TEST_CASE("a running QEMU domain whose bulk record lacks what only its monitor gives is marked timed out")
{
    Rig rig;
    const std::string kvm_xml = R"(<domain type='kvm'><name>vm1</name><uuid>)" + uuid1 + R"(</uuid></domain>)";
    rig.src.xml[uuid1] = kvm_xml;
    // NOWAIT while a job holds the domain: the balloon group has its definition values, not the RSS.
    rig.src.bulk = {{{"vm1", uuid1, 1},
                     {{"state.state", std::int64_t{1}},
                      {"cpu.time", std::uint64_t{5}},
                      {"balloon.current", std::uint64_t{1024}},
                      {"balloon.maximum", std::uint64_t{1024}},
                      {"vcpu.current", std::uint64_t{1}},
                      {"net.count", std::uint64_t{0}},
                      {"block.count", std::uint64_t{0}}}}};
    auto snap = rig.sampler.collect();
    REQUIRE(snap.domains.size() == 1);
    CHECK(snap.domains[0].timed_out);
    CHECK(rig.src.count_of("memory") == 0);  // not filled in per domain: that call would wait for the job
    rig.src.bulk[0].params.push_back({"balloon.rss", std::uint64_t{900}});
    snap = rig.sampler.collect();
    CHECK_FALSE(snap.domains[0].timed_out);
}

TEST_CASE("the snapshot carries the libvirt versions of the connection it was collected on")
{
    Rig rig;
    script_test_driver(rig.src);
    CHECK(rig.sampler.collect().versions == virt::LibvirtVersions{"7.2.0", "9.0.0", "9.0.0"});
    rig.src.up = false;
    CHECK(rig.sampler.collect().versions == virt::LibvirtVersions{});
}

TEST_CASE("a filtering collection asks for the statistics of the kept domains alone")
{
    collect::SamplerOptions options;
    options.filter.exclude = {std::make_shared<const std::regex>("vm2")};
    options.filter.inactive = false;
    Rig rig(options);
    auto& src = rig.src;
    script_test_driver(src);
    const std::string uuid2 = "22222222-2222-2222-2222-222222222222";
    const std::string uuid3 = "33333333-3333-3333-3333-333333333333";
    src.bulk.push_back(state_only("vm2", uuid2, 2));
    src.bulk.push_back(state_only("vm3", uuid3, -1));  // shut off
    const auto snap = rig.sampler.collect();
    CHECK(src.count_of("bulk") == 0);
    CHECK(src.count_of("list") == 1);
    REQUIRE(snap.domains.size() == 1);
    CHECK(snap.domains[0].name == "vm1");
    CHECK(snap.domains_filtered == 2);
    std::lock_guard lock(src.mu);
    CHECK(src.stats_asked.count(uuid1) == 1);
    CHECK(src.stats_asked.count(uuid2) == 0);  // a filtered domain costs nothing beyond the listing:
    CHECK(src.stats_asked.count(uuid3) == 0);  // no stats, no XML, no per-domain call
    CHECK(src.calls.count("xml") == 1);        // vm1's only
}

TEST_CASE("a filter that keeps nothing makes no stats call and serves an empty, successful collection")
{
    collect::SamplerOptions options;
    options.filter.include = {std::make_shared<const std::regex>("nothing-like-this")};
    Rig rig(options);
    script_test_driver(rig.src);
    const auto snap = rig.sampler.collect();
    CHECK(snap.libvirt_up);
    CHECK(snap.domains.empty());
    CHECK(snap.domains_filtered == 1);
    CHECK(rig.src.count_of("domain_stats") == 0);
}
