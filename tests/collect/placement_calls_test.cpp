// The pseudo stats groups vcpu_placement and block_iotune in the sampler, with the fake source, and the
// parser of virDomainGetBlockIoTune's answer.
#include <doctest/doctest.h>

#include "collect/iotune_limits.hpp"
#include "collect/placement_calls.hpp"
#include "collect/sampler.hpp"
#include "support/fake_domain_source.hpp"
#include "support/group_status.hpp"
#include "support/manual_clock.hpp"

using namespace std::chrono_literals;
using collect::IoTuneLimit;
using test_support::FakeDomainSource;
using test_support::group;

namespace {

const std::string uuid1 = "11111111-1111-1111-1111-111111111111";

// Two disks, one of them an empty CD-ROM (no source: no limits to ask for).
const char* const xml_vm1 = R"(<domain type='kvm'><name>vm1</name>
<uuid>11111111-1111-1111-1111-111111111111</uuid>
<devices>
  <disk type='file' device='disk'><source file='/img/vm1.qcow2'/><target dev='vda' bus='virtio'/></disk>
  <disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>
</devices></domain>)";

// A bulk record with two vCPUs (vCPU 1 offline: no placement) and both disks.
virt::DomainStatsRecord running_vm(int id)
{
    return {{"vm1", uuid1, id},
            {{"state.state", std::int64_t{id < 0 ? 5 : 1}},
             {"state.reason", std::int64_t{1}},
             {"vcpu.current", std::uint64_t{1}},
             {"vcpu.0.state", std::int64_t{1}},
             {"vcpu.0.time", std::uint64_t{1000}},
             {"block.count", std::uint64_t{2}},
             {"block.0.name", std::string("vda")},
             {"block.0.rd.reqs", std::uint64_t{7}},
             {"block.1.name", std::string("sda")}}};
}

collect::SamplerOptions options_with(unsigned groups)
{
    collect::SamplerOptions options;
    options.groups = groups;
    return options;
}

struct Rig {
    explicit Rig(unsigned groups) : sampler{src, cache, clock, options_with(groups)}
    {
        src.bulk = {running_vm(1)};
        src.xml[uuid1] = xml_vm1;
        src.placements[uuid1] = {{0, 1, 3, "2-5"}, {2, 1, 7, "7"}};
        src.answers["iotune:" + uuid1 + ":vda"] = {{"total_bytes_sec", std::uint64_t{10485760}},
                                                   {"read_iops_sec", std::uint64_t{200}},
                                                   {"write_bytes_sec", std::uint64_t{0}},
                                                   {"group_name", std::string("")}};
    }
    FakeDomainSource src;
    test_support::ManualClock clock;
    collect::DeviceCache cache{clock, 300s};
    collect::Sampler sampler;
};

constexpr unsigned both = virt::default_stats_groups | virt::pseudo_stats_groups;

}  // namespace

TEST_CASE("with both groups on, a running domain costs one placement call and one limits call per disk with media")
{
    Rig rig(both);
    const auto snap = rig.sampler.collect();
    REQUIRE(snap.domains.size() == 1);
    const auto& d = snap.domains[0];
    CHECK(rig.src.count_of("placement") == 1);
    CHECK(rig.src.count_of("iotune") == 1);  // vda only: the CD-ROM has no medium
    REQUIRE(d.vcpus.size() == 2);
    CHECK(d.vcpus[0].time == 1000u);  // the bulk values stay
    CHECK(d.vcpus[0].host_cpu == 3);
    CHECK(d.vcpus[0].affinity == "2-5");
    CHECK(d.vcpus[1].index == 2);  // reported by the placement call only: added
    CHECK(d.vcpus[1].host_cpu == 7);
    REQUIRE(d.disks.size() == 2);
    CHECK(limit(d.disks[0].iotune, IoTuneLimit::total_bytes_sec) == 10485760u);
    CHECK(limit(d.disks[0].iotune, IoTuneLimit::read_iops_sec) == 200u);
    CHECK_FALSE(limit(d.disks[0].iotune, IoTuneLimit::write_bytes_sec));  // 0: no limit
    CHECK(group(snap, virt::stats_vcpu_placement).success);
    CHECK(group(snap, virt::stats_vcpu_placement).per_domain);
    CHECK(group(snap, virt::stats_block_iotune).success);
    CHECK_FALSE(d.timed_out);
}

TEST_CASE("with the groups off (the default) no placement or limits call is made")
{
    Rig rig(virt::default_stats_groups);
    const auto snap = rig.sampler.collect();
    CHECK(rig.src.count_of("placement") == 0);
    CHECK(rig.src.count_of("iotune") == 0);
    REQUIRE(snap.domains.size() == 1);
    CHECK_FALSE(snap.domains[0].vcpus[0].host_cpu);
}

TEST_CASE("a shut-off domain gets no placement or limits call")
{
    Rig rig(both);
    rig.src.bulk = {running_vm(-1)};
    rig.sampler.collect();
    CHECK(rig.src.count_of("placement") == 0);
    CHECK(rig.src.count_of("iotune") == 0);
}

TEST_CASE("an unsupported placement call is made once per connection and fails no group")
{
    Rig rig(both);
    rig.src.unsupported = {"placement", "iotune"};
    rig.sampler.collect();
    const auto snap = rig.sampler.collect();
    CHECK(rig.src.count_of("placement") == 1);
    CHECK(rig.src.count_of("iotune") == 1);
    CHECK(group(snap, virt::stats_vcpu_placement).success);
    CHECK(group(snap, virt::stats_block_iotune).success);
    rig.src.gen = 2;  // reconnected: ask again
    rig.sampler.collect();
    CHECK(rig.src.count_of("placement") == 2);
}

TEST_CASE("a failing limits call marks block_iotune failed and keeps the rest of the domain")
{
    Rig rig(both);
    rig.src.failing = {"iotune"};
    const auto snap = rig.sampler.collect();
    CHECK_FALSE(group(snap, virt::stats_block_iotune).success);
    CHECK(group(snap, virt::stats_block_iotune).error.find("iotune failed") != std::string::npos);
    CHECK(group(snap, virt::stats_vcpu_placement).success);
    CHECK(group(snap, virt::stats_block).success);
    REQUIRE(snap.domains.size() == 1);
    CHECK(snap.domains[0].disks[0].rd_reqs == 7u);
    CHECK(snap.domains[0].vcpus[0].host_cpu == 3);
}

TEST_CASE("a domain whose placement call found it busy in a job is timed out, and no group fails")
{
    Rig rig(both);
    rig.src.busy = {"placement", "iotune"};
    const auto snap = rig.sampler.collect();
    REQUIRE(snap.domains.size() == 1);
    CHECK(snap.domains[0].timed_out);
    CHECK(group(snap, virt::stats_vcpu_placement).success);
    CHECK(group(snap, virt::stats_block_iotune).success);
}

TEST_CASE("once the collection budget is used up no placement call is made and the domain is timed out")
{
    Rig rig(both);
    rig.src.on_call = [&](const std::string& call) {
        if (call == "xml") rig.clock.advance(11s);
    };
    const auto snap = rig.sampler.collect();
    CHECK(rig.src.count_of("placement") == 0);
    CHECK(rig.src.count_of("iotune") == 0);
    REQUIRE(snap.domains.size() == 1);
    CHECK(snap.domains[0].timed_out);
}

TEST_CASE("a placement answer fills the vCPUs by number and appends the ones the bulk call did not report")
{
    std::vector<collect::VcpuSample> vcpus(1);
    vcpus[0].index = 1;
    collect::merge_placement(vcpus, {{1, 1, -1, "0-3"}, {0, 2, 4, ""}});
    REQUIRE(vcpus.size() == 2);
    CHECK_FALSE(vcpus[0].host_cpu);  // -1: unknown
    CHECK(vcpus[0].affinity == "0-3");
    CHECK(vcpus[1].index == 0);
    CHECK(vcpus[1].state == 2);
    CHECK(vcpus[1].host_cpu == 4);
}

TEST_CASE("a limits answer keeps the known keys that are set, once each")
{
    const auto limits = collect::parse_block_iotune({
        {"total_bytes_sec", std::uint64_t{0}},                      // 0: not set
        {"read_bytes_sec", std::int64_t{-5}},                       // negative: nonsense, left out
        {"write_bytes_sec", std::int64_t{4096}},                    // a signed value from another driver
        {"total_iops_sec", std::string("100")},                     // wrong type
        {"read_iops_sec", std::uint64_t{200}},                      // kept
        {"read_iops_sec", std::uint64_t{300}},                      // repeated: the first wins
        {"size_iops_sec", std::uint64_t{18446744073709551615ull}},  // kept whole
        {"group_name", std::string("tenant-a")},                    // not a limit
        {"future_limit", std::uint64_t{1}},                         // unknown
    });
    CHECK_FALSE(limit(limits, IoTuneLimit::total_bytes_sec));
    CHECK_FALSE(limit(limits, IoTuneLimit::read_bytes_sec));
    CHECK(limit(limits, IoTuneLimit::write_bytes_sec) == 4096u);
    CHECK_FALSE(limit(limits, IoTuneLimit::total_iops_sec));
    CHECK(limit(limits, IoTuneLimit::read_iops_sec) == 200u);
    CHECK(limit(limits, IoTuneLimit::size_iops_sec) == 18446744073709551615ull);
    CHECK(collect::parse_block_iotune({}) == collect::IoTuneLimits{});
}
