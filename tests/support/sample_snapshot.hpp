// Test support: a fixed Snapshot that exercises every family — two running domains (one with a
// hostile name and OpenStack metadata), a shut-off one, every optional field set on the first.
#pragma once

#include <memory>

#include "collect/domain_sample.hpp"
#include "virt/domain_source.hpp"

namespace test_support {

inline collect::Snapshot sample_snapshot()
{
    using namespace collect;
    Snapshot s;
    s.taken_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    s.duration = std::chrono::milliseconds(12);
    s.sequence = 7;
    s.libvirt_up = true;
    for (unsigned g : virt::stats_groups_in(virt::default_stats_groups)) {
        GroupStatus st;
        st.group = g;
        st.duration = std::chrono::milliseconds(3);
        st.per_domain = g == virt::stats_interface;
        s.groups.push_back(st);
    }
    s.groups.back().success = false;
    s.groups.back().error = "virDomainBlockStats failed";
    for (unsigned g : {virt::stats_vcpu_placement, virt::stats_block_iotune}) {  // on: one-42 has their values
        GroupStatus st;
        st.group = g;
        st.duration = std::chrono::milliseconds(1);
        st.per_domain = true;
        s.groups.push_back(st);
    }

    auto devices = std::make_shared<DomainDevices>();
    devices->name = "one-42";
    devices->uuid = "11111111-2222-3333-4444-555555555555";
    devices->os_type = "hvm";
    devices->arch = "x86_64";
    devices->machine = "pc-q35-7.2";
    devices->balloon_period = 5;
    devices->nics.push_back({"vnet0", "52:54:00:aa:bb:cc", "bridge", "br0", "", "", "virtio", "1500", "net0"});
    devices->disks.push_back({"vda", "virtio", "disk", "file", "/var/lib/one/datastores/0/42/disk.0", "", "", "qemu",
                              "qcow2", "none", "unmap", "SN-42", "virtio-disk0"});

    DomainSample a;
    a.name = "one-42";
    a.uuid = devices->uuid;
    a.id = 3;
    a.vmid = "42";
    a.state = {1, 1};
    a.cpu = {123'000'000'000ull, 100'000'000'000ull, 20'000'000'000ull};
    a.balloon.current = 1048576;
    a.balloon.maximum = 2097152;
    a.balloon.swap_in = 10;
    a.balloon.swap_out = 20;
    a.balloon.major_fault = 30;
    a.balloon.minor_fault = 40;
    a.balloon.unused = 500000;
    a.balloon.available = 1000000;
    a.balloon.usable = 750000;
    a.balloon.rss = 900000;
    a.balloon.disk_caches = 60000;
    a.balloon.hugetlb_pgalloc = 1;
    a.balloon.hugetlb_pgfail = 0;
    a.balloon.last_update = 1'699'999'990;
    a.vcpu = {2, 4};
    // Host CPU and pinning: stats group vcpu_placement (vCPU 0 pinned to CPU 2, vCPU 1 free on 8 CPUs).
    a.vcpus.push_back({0, 1, 50'000'000'000ull, 1'000'000ull, 2'000'000ull, 2, "2"});
    a.vcpus.push_back({1, 1, 60'000'000'000ull, std::nullopt, std::nullopt, 5, "0-7"});
    NicSample n;
    n.name = "vnet0";
    n.rx_bytes = 1000;
    n.rx_pkts = 10;
    n.rx_errs = 0;
    n.rx_drop = 1;
    n.tx_bytes = 2000;
    n.tx_pkts = 20;
    n.tx_errs = 0;
    n.tx_drop = 0;
    a.nics.push_back(n);
    DiskSample d;
    d.name = "vda";
    d.path = devices->disks[0].source;
    d.rd_reqs = 100;
    d.rd_bytes = 409600;
    d.rd_times = 5'000'000'000ull;
    d.wr_reqs = 50;
    d.wr_bytes = 204800;
    d.wr_times = 2'500'000'000ull;
    d.fl_reqs = 5;
    d.fl_times = 1'000'000ull;
    d.allocation = 1073741824;
    d.capacity = 10737418240ull;
    d.physical = 1073741824;
    d.iotune[static_cast<std::size_t>(IoTuneLimit::total_bytes_sec)] = 10485760;  // stats group block_iotune
    d.iotune[static_cast<std::size_t>(IoTuneLimit::read_iops_sec)] = 200;
    a.disks.push_back(d);
    a.extra.push_back({"perf.cmt", 1234});
    a.extra.push_back({"iothread.1.poll-max-ns", 32768});
    a.extra.push_back({"cpu.cache.monitor.count", 0});
    a.nic_count = 1;
    a.disk_count = 1;
    a.devices = devices;

    auto nova = std::make_shared<DomainDevices>();
    nova->name = "web \"front\",a=b\\ é\nx";
    nova->uuid = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    nova->os_type = "hvm";
    nova->nova = NovaInfo{"web-1", "m1.small", "demo", "p-uuid", "alice", "u-uuid", "image", "i-uuid"};
    DomainSample b;
    b.name = nova->name;
    b.uuid = nova->uuid;
    b.id = 4;
    b.vmid = "4";
    b.state = {3, 1};
    b.cpu.time = 5'000'000'000ull;  // no user/system: those series must be absent
    b.balloon.current = 524288;
    b.balloon.maximum = 524288;
    b.vcpu.current = 1;
    b.timed_out = true;  // as if a job held it: libvirt_domain_timed_out 1
    b.devices = nova;

    DomainSample c;
    c.name = "stopped";
    c.uuid = "99999999-9999-9999-9999-999999999999";
    c.state = {5, 1};
    c.balloon.maximum = 262144;

    s.domains = {a, b, c};
    s.versions = {"7.2.0", "9.0.0", "9.0.1"};
    s.domains_filtered = 2;
    // The copies above point at `devices`' NIC/disk records through the shared_ptr they hold.
    s.domains[0].nics[0].info = &s.domains[0].devices->nics[0];
    s.domains[0].disks[0].info = &s.domains[0].devices->disks[0];
    return s;
}

}  // namespace test_support
