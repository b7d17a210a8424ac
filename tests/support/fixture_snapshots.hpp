// Test support for the InfluxDB encoder: the fixed sample snapshot 10 s later (counters advanced, so
// every vm_features field has a known value), a hostile snapshot whose names exercise every escaping
// and sanitizing rule, and a list of hostile strings for round-trip tests.
#pragma once

#include <string>
#include <vector>

#include "support/sample_snapshot.hpp"

namespace test_support {

// sample_snapshot() 10 s later. one-42: +5 s of CPU (cpu_usage 0.5), rss +10240 KiB (memrate 1024),
// +100000/+50000 NIC bytes (10000/5000 B/s), +409600/+204800 disk bytes (40960/20480 B/s). The hostile
// domain: +1 s of CPU (0.1). The shut-off domain reports nothing that moves: no vm_features line.
inline collect::Snapshot sample_snapshot_later()
{
    collect::Snapshot s = sample_snapshot();
    s.taken_at += std::chrono::seconds(10);
    s.sequence += 1;
    auto& a = s.domains[0];
    *a.cpu.time += 5'000'000'000ull;
    *a.cpu.user += 4'000'000'000ull;
    *a.cpu.system += 1'000'000'000ull;
    *a.balloon.rss += 10240;
    *a.nics[0].rx_bytes += 100000;
    *a.nics[0].rx_pkts += 100;
    *a.nics[0].tx_bytes += 50000;
    *a.nics[0].tx_pkts += 50;
    *a.disks[0].rd_bytes += 409600;
    *a.disks[0].rd_reqs += 100;
    *a.disks[0].wr_bytes += 204800;
    *a.disks[0].wr_reqs += 50;
    *s.domains[1].cpu.time += 1'000'000'000ull;
    return s;
}

// Strings that break naive line protocol writers.
inline std::vector<std::string> hostile_strings()
{
    return {"plain",
            "with space",
            "comma,here",
            "equals=here",
            "quote\"here",
            "trailing\\",
            "two\\\\",
            "back\\ space",
            "back\\,comma",
            "back\\=eq",
            "DOMAIN\\user",
            "new\nline",
            "carriage\rreturn",
            "tab\there",
            "bell\x07",
            "non-ASCII é ü 日本",
            "#hash",
            " leading space",
            "trailing space ",
            "\\",
            "a\\\\b",
            "\"quoted\"",
            "x\\\ny",
            "bad \xff utf8",
            "=,\\ \" ,=",
            "web \"front\",a=b\\ é\nx"};
}

// A snapshot of domains named after the hostile strings (with hostile device names too).
inline collect::Snapshot hostile_snapshot()
{
    collect::Snapshot s;
    s.taken_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    s.libvirt_up = true;
    int n = 0;
    for (const auto& name : hostile_strings()) {
        collect::DomainSample d;
        d.name = name;
        d.uuid = "00000000-0000-0000-0000-" + std::string(12 - std::to_string(n).size(), '0') + std::to_string(n);
        d.id = n + 1;
        d.vmid = std::to_string(n + 1);
        d.state.state = 1;
        d.cpu.time = 1'000'000'000ull * static_cast<unsigned>(n + 1);
        d.balloon.current = 1024;
        collect::NicSample nic;
        nic.name = name;
        nic.rx_bytes = 1;
        d.nics.push_back(nic);
        s.domains.push_back(d);
        ++n;
    }
    return s;
}

}  // namespace test_support
