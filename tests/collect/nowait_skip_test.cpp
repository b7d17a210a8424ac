#include <doctest/doctest.h>

#include "collect/nowait_skip.hpp"

namespace {

using collect::DiskInfo;
using collect::DiskSample;
using collect::DomainDevices;
using collect::DomainSample;

constexpr unsigned balloon_and_block = virt::stats_balloon | virt::stats_block;

DomainDevices qemu_domain(const char* type = "kvm")
{
    DomainDevices d;
    d.domain_type = type;
    DiskInfo disk;
    disk.target = "vda";
    disk.device = "disk";
    disk.source = "/var/lib/libvirt/images/vm.qcow2";
    d.disks.push_back(disk);
    DiskInfo cdrom;
    cdrom.target = "sda";
    cdrom.device = "cdrom";
    d.disks.push_back(cdrom);
    return d;
}

DomainSample running(bool with_rss)
{
    DomainSample s;
    s.id = 3;
    s.balloon.current = 1048576;
    s.balloon.maximum = 1048576;
    if (with_rss) s.balloon.rss = 200000;
    return s;
}

DiskSample disk(const char* name, bool with_counters)
{
    DiskSample d;
    d.name = name;
    if (with_counters) {
        d.rd_reqs = 10;
        d.wr_reqs = 5;
    }
    return d;
}

}  // namespace

TEST_CASE("a running QEMU domain with its balloon size but no RSS had its monitor-bound stats skipped")
{
    const auto devices = qemu_domain();
    CHECK(collect::monitor_stats_skipped(running(false), &devices, balloon_and_block));
    CHECK_FALSE(collect::monitor_stats_skipped(running(true), &devices, balloon_and_block));
    const auto tcg = qemu_domain("qemu");
    CHECK(collect::monitor_stats_skipped(running(false), &tcg, balloon_and_block));
}

TEST_CASE("test-driver, inactive and unknown domains are never judged skipped")
{
    const auto test_driver = qemu_domain("test");
    CHECK_FALSE(collect::monitor_stats_skipped(running(false), &test_driver, balloon_and_block));
    const auto devices = qemu_domain();
    auto off = running(false);
    off.id = -1;
    CHECK_FALSE(collect::monitor_stats_skipped(off, &devices, balloon_and_block));
    CHECK_FALSE(collect::monitor_stats_skipped(running(false), nullptr, balloon_and_block));
}

TEST_CASE("a balloon group the bulk call did not return at all is not a skip (the fill-in provides it)")
{
    const auto devices = qemu_domain();
    DomainSample s;
    s.id = 3;
    CHECK_FALSE(collect::monitor_stats_skipped(s, &devices, balloon_and_block));
}

TEST_CASE("without the balloon group a disk with media but no I/O counter means skipped, an empty CD-ROM does not")
{
    const auto devices = qemu_domain();
    DomainSample s;
    s.id = 3;
    s.disks = {disk("vda", true), disk("sda", false)};
    CHECK_FALSE(collect::monitor_stats_skipped(s, &devices, virt::stats_block));
    s.disks = {disk("vda", false), disk("sda", false)};
    CHECK(collect::monitor_stats_skipped(s, &devices, virt::stats_block));
    CHECK_FALSE(collect::monitor_stats_skipped(s, &devices, virt::stats_state | virt::stats_cpu_total));
}
