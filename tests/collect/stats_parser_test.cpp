#include <doctest/doctest.h>

#include "collect/stats_parser.hpp"
#include "support/stats_fixture.hpp"

using collect::parse_stats_record;
using test_support::parse_domstats;

namespace {

collect::DomainSample parse_one(const std::string& text)
{
    const auto records = parse_domstats(text);
    REQUIRE(records.size() == 1);
    return parse_stats_record(records[0]);
}

}  // namespace

TEST_CASE("every default-group field of a record lands in its member")
{
    const auto s = parse_one(R"(Domain: 'vm1'
  state.state=1
  state.reason=5
  cpu.time=1000
  cpu.user=600
  cpu.system=300
  balloon.current=262144
  balloon.maximum=524288
  balloon.swap_in=4
  balloon.swap_out=8
  balloon.major_fault=15
  balloon.minor_fault=16
  balloon.unused=100
  balloon.available=200
  balloon.usable=150
  balloon.last-update=1700000000
  balloon.disk_caches=30
  balloon.hugetlb_pgalloc=1
  balloon.hugetlb_pgfail=2
  balloon.rss=99
  vcpu.current=2
  vcpu.maximum=4
  vcpu.0.state=1
  vcpu.0.time=5000
  vcpu.0.wait=7
  vcpu.0.delay=9
  vcpu.1.state=1
  vcpu.1.time=6000
  net.count=1
  net.0.name=vnet0
  net.0.rx.bytes=10
  net.0.rx.pkts=11
  net.0.rx.errs=12
  net.0.rx.drop=13
  net.0.tx.bytes=20
  net.0.tx.pkts=21
  net.0.tx.errs=22
  net.0.tx.drop=23
  block.count=1
  block.0.name=vda
  block.0.path=/var/lib/libvirt/images/vm1.qcow2
  block.0.rd.reqs=1
  block.0.rd.bytes=2
  block.0.rd.times=3
  block.0.wr.reqs=4
  block.0.wr.bytes=5
  block.0.wr.times=6
  block.0.fl.reqs=7
  block.0.fl.times=8
  block.0.allocation=9
  block.0.capacity=10
  block.0.physical=11
)");
    CHECK(s.name == "vm1");
    CHECK(s.state.state == 1);
    CHECK(s.state.reason == 5);
    CHECK(s.cpu.time == 1000u);
    CHECK(s.cpu.user == 600u);
    CHECK(s.cpu.system == 300u);
    CHECK(s.balloon.current == 262144u);
    CHECK(s.balloon.maximum == 524288u);
    CHECK(s.balloon.swap_in == 4u);
    CHECK(s.balloon.swap_out == 8u);
    CHECK(s.balloon.major_fault == 15u);
    CHECK(s.balloon.minor_fault == 16u);
    CHECK(s.balloon.unused == 100u);
    CHECK(s.balloon.available == 200u);
    CHECK(s.balloon.usable == 150u);
    CHECK(s.balloon.last_update == 1700000000);
    CHECK(s.balloon.disk_caches == 30u);
    CHECK(s.balloon.hugetlb_pgalloc == 1u);
    CHECK(s.balloon.hugetlb_pgfail == 2u);
    CHECK(s.balloon.rss == 99u);
    CHECK(s.vcpu.current == 2u);
    CHECK(s.vcpu.maximum == 4u);
    REQUIRE(s.vcpus.size() == 2);
    CHECK(s.vcpus[0].index == 0);
    CHECK(s.vcpus[0].state == 1);
    CHECK(s.vcpus[0].time == 5000u);
    CHECK(s.vcpus[0].wait == 7u);
    CHECK(s.vcpus[0].delay == 9u);
    CHECK(s.vcpus[1].index == 1);
    CHECK_FALSE(s.vcpus[1].wait.has_value());
    CHECK(s.nic_count == 1u);
    REQUIRE(s.nics.size() == 1);
    const auto& n = s.nics[0];
    CHECK(n.name == "vnet0");
    CHECK((n.rx_bytes == 10u && n.rx_pkts == 11u && n.rx_errs == 12u && n.rx_drop == 13u));
    CHECK((n.tx_bytes == 20u && n.tx_pkts == 21u && n.tx_errs == 22u && n.tx_drop == 23u));
    REQUIRE(s.disks.size() == 1);
    const auto& d = s.disks[0];
    CHECK(d.name == "vda");
    CHECK(d.path == "/var/lib/libvirt/images/vm1.qcow2");
    CHECK((d.rd_reqs == 1u && d.rd_bytes == 2u && d.rd_times == 3u));
    CHECK((d.wr_reqs == 4u && d.wr_bytes == 5u && d.wr_times == 6u));
    CHECK((d.fl_reqs == 7u && d.fl_times == 8u));
    CHECK((d.allocation == 9u && d.capacity == 10u && d.physical == 11u));
    CHECK_FALSE(d.errors.has_value());
    CHECK(s.extra.empty());
    CHECK(s.skipped_devices == 0);
}

TEST_CASE("a field libvirt did not return stays empty instead of becoming zero")
{
    const auto s = parse_one("Domain: 'off'\n  state.state=5\n  state.reason=0\n");
    CHECK(s.state.state == 5);
    CHECK_FALSE(s.cpu.time.has_value());
    CHECK_FALSE(s.balloon.current.has_value());
    CHECK_FALSE(s.nic_count.has_value());
    CHECK(s.nics.empty());
    CHECK(s.disks.empty());
}

TEST_CASE("a negative counter is treated as not measured")
{
    const auto s = parse_one("Domain: 'neg'\n  net.count=1\n  net.0.name=tap0\n  net.0.rx.bytes=-1\n");
    REQUIRE(s.nics.size() == 1);
    CHECK_FALSE(s.nics[0].rx_bytes.has_value());
}

TEST_CASE("a NIC that is counted but has no name or fields is skipped and counted")
{
    // A NIC of type user: net.count includes it, yet libvirt reports nothing else for it.
    const auto s = parse_one(R"(Domain: 'usernic'
  net.count=2
  net.0.name=vnet3
  net.0.rx.bytes=5
)");
    CHECK(s.nic_count == 2u);
    REQUIRE(s.nics.size() == 1);
    CHECK(s.nics[0].name == "vnet3");
    CHECK(s.skipped_devices == 0);  // index 1 never appeared, so there is nothing to skip

    const auto t = parse_one("Domain: 'x'\n  net.count=1\n  net.0.name=\n  net.0.rx.bytes=5\n");
    CHECK(t.nics.empty());
    CHECK(t.skipped_devices == 1);
}

TEST_CASE("duplicate device names are made unique with the libvirt index")
{
    const auto s = parse_one(R"(Domain: 'sriov'
  net.count=3
  net.0.name=hostdev0
  net.0.rx.bytes=1
  net.1.name=hostdev0
  net.1.rx.bytes=2
  net.2.name=hostdev0#1
  net.2.rx.bytes=3
  block.count=2
  block.0.name=sda
  block.1.name=sda
)");
    REQUIRE(s.nics.size() == 3);
    CHECK(s.nics[0].name == "hostdev0");
    CHECK(s.nics[1].name == "hostdev0#1");
    CHECK(s.nics[1].rx_bytes == 2u);
    CHECK(s.nics[2].name == "hostdev0#1#2");  // a real name that collides with a renamed one
    CHECK(s.skipped_devices == 0);
    REQUIRE(s.disks.size() == 2);
    CHECK(s.disks[1].name == "sda#1");
}

TEST_CASE("backing-chain layers are ignored, but a top image with a backingIndex is kept")
{
    const auto s = parse_one(R"(Domain: 'chain'
  block.count=2
  block.0.name=vda
  block.0.backingIndex=2
  block.0.rd.reqs=1
  block.1.name=vda
  block.1.backingIndex=1
  block.1.rd.reqs=0
)");
    REQUIRE(s.disks.size() == 1);
    CHECK(s.disks[0].rd_reqs == 1u);
    CHECK(s.skipped_devices == 0);
}

TEST_CASE("domain names with spaces, quotes, commas, equals, backslashes and non-ASCII pass unchanged")
{
    virt::DomainStatsRecord r;
    r.domain = {"web \"front\",a=b\\ é-01", "0b4a3c2e-1111-2222-3333-444455556666", 7};
    r.params.push_back({"state.state", std::int64_t{1}});
    const auto s = parse_stats_record(r);
    CHECK(s.name == "web \"front\",a=b\\ é-01");
    CHECK(s.uuid == "0b4a3c2e-1111-2222-3333-444455556666");
    CHECK(s.id == 7);
}

TEST_CASE("fields of optional groups are kept by name when numeric")
{
    const auto s = parse_one(R"(Domain: 'perf'
  perf.cmt=12
  dirtyrate.megabytes_per_second=3.5
  cpu.haltpoll.success.time=44
  vcpu.0.halted=no
  vm.remote_tlb_flush=2
)");
    REQUIRE(s.extra.size() == 4);
    CHECK(s.extra[0].name == "perf.cmt");
    CHECK(s.extra[1].name == "dirtyrate.megabytes_per_second");
    CHECK(s.extra[1].value == doctest::Approx(3.5));
    CHECK(s.extra[2].name == "cpu.haltpoll.success.time");
    CHECK(s.extra[3].name == "vm.remote_tlb_flush");
}

TEST_CASE("an absurd device index in a corrupt record is ignored rather than allocated")
{
    const auto s = parse_one("Domain: 'bad'\n  net.99999999.name=x\n  block.1x.name=y\n  vcpu..time=1\n");
    CHECK(s.nics.empty());
    CHECK(s.disks.empty());
    CHECK(s.vcpus.empty());
}

TEST_CASE("a record says which stats groups it carries")
{
    const auto r = parse_domstats("Domain: 'g'\n  state.state=1\n  net.count=0\n")[0];
    CHECK(collect::record_has_group(r, virt::stats_state));
    CHECK(collect::record_has_group(r, virt::stats_interface));
    CHECK_FALSE(collect::record_has_group(r, virt::stats_block));
    CHECK_FALSE(collect::record_has_group(r, virt::stats_cpu_total));
}

TEST_CASE("a record from a booted QEMU guest fills every default-group field")
{
    const auto records = test_support::load_domstats("stats/qemu_tcg_guest.txt");
    REQUIRE(records.size() == 1);
    const auto s = parse_stats_record(records[0]);
    CHECK(s.state.state == 1);
    CHECK(s.cpu.time.has_value());
    CHECK(s.cpu.user.has_value());
    CHECK(s.cpu.system.has_value());
    for (const auto* f :
         {&s.balloon.current, &s.balloon.maximum, &s.balloon.swap_in, &s.balloon.swap_out, &s.balloon.major_fault,
          &s.balloon.minor_fault, &s.balloon.unused, &s.balloon.available, &s.balloon.usable, &s.balloon.rss,
          &s.balloon.disk_caches, &s.balloon.hugetlb_pgalloc, &s.balloon.hugetlb_pgfail})
        CHECK(f->has_value());
    CHECK(s.balloon.last_update.has_value());
    CHECK(s.vcpu.current == 2u);
    REQUIRE(s.vcpus.size() == 2);
    CHECK(s.vcpus[0].delay.has_value());
    REQUIRE(s.nics.size() == 2);
    CHECK(s.nics[0].name == "vxt1n0");
    CHECK(s.nics[0].rx_bytes > 0u);
    REQUIRE(s.disks.size() == 3);  // each with a backingIndex, yet each is a disk of its own
    CHECK(s.disks[0].name == "vda");
    CHECK(s.disks[0].rd_reqs > 0u);
    CHECK(s.disks[2].path.ends_with("vdc.qcow2"));
    CHECK(s.disks[0].capacity == 33554432u);
    CHECK(s.disks[0].physical.has_value());
    CHECK(s.skipped_devices == 0);
    // cpu.cache.monitor.count, cpu.haltpoll.* and the numeric dirtyrate.* fields (virsh asks for every
    // group) are kept by name for the optional families; dirtyrate.calc_mode is a string and is not.
    CHECK(s.extra.size() == 6);
}

TEST_CASE("a paused QEMU guest reports its state and reason and still its counters")
{
    const auto s = parse_stats_record(test_support::load_domstats("stats/qemu_paused.txt").at(0));
    CHECK(s.state.state == 3);
    CHECK(s.state.reason == 1);
    CHECK(s.nics.size() == 2);
    CHECK(s.disks.size() == 3);
}

TEST_CASE("a shut-off QEMU domain has no NICs or I/O counters, only sizes of its disks")
{
    const auto s = parse_stats_record(test_support::load_domstats("stats/qemu_shutoff.txt").at(0));
    CHECK(s.state.state == 5);
    CHECK_FALSE(s.nic_count.has_value());
    CHECK(s.nics.empty());
    REQUIRE(s.disks.size() == 3);
    CHECK_FALSE(s.disks[0].rd_reqs.has_value());
    CHECK(s.disks[0].capacity == 33554432u);
}

TEST_CASE("drops the CPU times libvirt reports for a shut-off domain, which are libvirtd's own")
{
    const auto records = test_support::load_domstats("stats/qemu_shutoff.txt");
    REQUIRE(records.at(0).domain.id < 0);
    const auto s = parse_stats_record(records.at(0));
    CHECK_FALSE(s.cpu.time.has_value());
    CHECK_FALSE(s.cpu.user.has_value());
    CHECK_FALSE(s.cpu.system.has_value());
    CHECK(s.balloon.current == 196608u);  // the rest of the record stays
}

TEST_CASE("a NIC of type user is counted by libvirt but has no fields, so it yields no sample")
{
    const auto s = parse_stats_record(test_support::load_domstats("stats/qemu_user_nic.txt").at(0));
    CHECK(s.nic_count == 3u);
    REQUIRE(s.nics.size() == 2);
    CHECK(s.skipped_devices == 0);
}
