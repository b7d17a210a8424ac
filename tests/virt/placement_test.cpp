// The pseudo stats groups' calls on libvirt's test driver (config/demo-node.xml pins web-frontend-01's
// vCPUs 0 and 1 and throttles its vda), the cpulist format, and that libvirt never sees the pseudo groups.
#include <array>

#include "support/virt_helpers.hpp"

using namespace virt_test;
using virt::ErrorKind;

namespace {

// The demo node, connected, and its domains by name.
struct Node {
    std::unique_ptr<virt::Connection> conn = connect(demo_node_uri());
    std::vector<virt::DomainRef> domains = conn->list_domains();
    virt::DomainRef ref(const std::string& name) const
    {
        for (const auto& d : domains)
            if (d.name == name) return d;
        FAIL("no domain " << name);
        return {};
    }
};

}  // namespace

TEST_CASE("a cpumap becomes a cpulist as libvirt writes one, every run of two or more a range")
{
    const std::array<unsigned char, 2> map{0b0100'1111, 0b0000'0011};  // CPUs 0-3, 6, 8, 9
    CHECK(virt::format_cpulist(map, 16) == "0-3,6,8-9");
    CHECK(virt::format_cpulist(map, 8) == "0-3,6");  // bits at or past the host's CPU count are ignored
    const std::array<unsigned char, 1> none{0};
    CHECK(virt::format_cpulist(none, 8).empty());
    const std::array<unsigned char, 1> all{0xff};
    CHECK(virt::format_cpulist(all, 64) == "0-7");  // a map shorter than the count ends the list
    CHECK(virt::format_cpulist({}, 8).empty());
}

TEST_CASE("the pseudo stats groups are masked out of what libvirt's bulk call is asked for")
{
    CHECK(virt::libvirt_stats_groups(virt::default_stats_groups | virt::pseudo_stats_groups) ==
          virt::default_stats_groups);
    CHECK(virt::libvirt_stats_groups(virt::stats_vcpu_placement) == 0);
    Node node;
    const auto plain = node.conn->all_domain_stats(virt::default_stats_groups);
    const auto with_pseudo = node.conn->all_domain_stats(virt::default_stats_groups | virt::pseudo_stats_groups);
    REQUIRE(plain.size() == with_pseudo.size());
    for (std::size_t i = 0; i < plain.size(); ++i) CHECK(plain[i].params == with_pseudo[i].params);
}

TEST_CASE("vcpu_placement on the test driver gives each vCPU its host CPU and its pinning")
{
    Node node;
    const auto placement = node.conn->vcpu_placement(node.ref("web-frontend-01"));
    REQUIRE(placement.size() == 4);
    CHECK(placement[0].vcpu == 0);
    CHECK(placement[0].affinity == "0");
    CHECK(placement[0].host_cpu == 0);
    CHECK(placement[1].affinity == "2-3");
    CHECK((placement[1].host_cpu == 2 || placement[1].host_cpu == 3));
    CHECK_FALSE(placement[2].affinity.empty());  // unpinned: every host CPU
    CHECK(placement[2].state == 1);              // VIR_VCPU_RUNNING
}

TEST_CASE("block_iotune on the test driver gives the disk's limits, unset ones as 0")
{
    Node node;
    const auto params = node.conn->block_iotune(node.ref("web-frontend-01"), "vda");
    const auto* total = find(params, "total_bytes_sec");
    REQUIRE(total != nullptr);
    CHECK(std::get<std::uint64_t>(*total) == 10485760u);
    const auto* read_iops = find(params, "read_iops_sec");
    REQUIRE(read_iops != nullptr);
    CHECK(std::get<std::uint64_t>(*read_iops) == 200u);
    const auto* write_bytes = find(params, "write_bytes_sec");
    REQUIRE(write_bytes != nullptr);
    CHECK(std::get<std::uint64_t>(*write_bytes) == 0u);
}

TEST_CASE("vcpu_placement and block_iotune on a shut-off domain fail, naming the call and the domain")
{
    Node node;
    CHECK_THROWS_AS(node.conn->vcpu_placement(node.ref("build-runner-old")), virt::Error);
    try {
        node.conn->block_iotune(node.ref("build-runner-old"), "vda");
        FAIL("expected an error");
    } catch (const virt::Error& e) {
        CHECK(std::string(e.what()).find("virDomainGetBlockIoTune(build-runner-old, vda)") == 0);
    }
}
