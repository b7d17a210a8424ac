// A synthetic Snapshot for the in-process benchmarks (push encoding, /metrics rendering): `domains`
// running domains, 2 NICs and 3 disks each, every balloon field set, counters scaled by `tick`.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "collect/domain_sample.hpp"

namespace bench {

inline collect::Snapshot synthetic(int domains, std::chrono::seconds at, std::uint64_t tick)
{
    collect::Snapshot s;
    s.taken_at = std::chrono::system_clock::time_point(at);
    s.libvirt_up = true;
    for (int i = 0; i < domains; ++i) {
        collect::DomainSample d;
        d.name = "one-" + std::to_string(1000 + i);
        d.uuid = "00000000-0000-4000-8000-" + std::to_string(100000000000 + i);
        d.vmid = std::to_string(1000 + i);
        d.id = i + 1;
        d.state.state = 1;
        d.cpu = {tick * 1'000'000'000ull + i, tick * 600'000'000ull, tick * 300'000'000ull};
        d.vcpu.current = 2;
        auto& b = d.balloon;
        b.current = b.maximum = 4194304;
        b.rss = 2000000 + tick * 10;
        b.available = 4000000;
        b.usable = 3000000;
        b.unused = 2500000;
        b.disk_caches = 100000;
        b.swap_in = b.swap_out = b.major_fault = 0;
        b.minor_fault = tick * 1000;
        for (int n = 0; n < 2; ++n) {
            collect::NicSample nic;
            nic.name = "tap" + std::to_string(i) + "-" + std::to_string(n);
            nic.rx_bytes = nic.tx_bytes = tick * 123456;
            nic.rx_pkts = nic.tx_pkts = tick * 100;
            nic.rx_errs = nic.tx_errs = nic.rx_drop = nic.tx_drop = 0;
            d.nics.push_back(nic);
        }
        for (const char* dev : {"vda", "vdb", "vdc"}) {
            collect::DiskSample disk;
            disk.name = dev;
            disk.rd_reqs = disk.wr_reqs = tick * 50;
            disk.rd_bytes = disk.wr_bytes = tick * 4096 * 50;
            disk.errors = 0;
            d.disks.push_back(disk);
        }
        s.domains.push_back(std::move(d));
    }
    return s;
}

}  // namespace bench
