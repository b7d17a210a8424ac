// Push-path benchmark, in process: lines encoded per second and bytes per line for the four
// measurements of a synthetic 1000-domain snapshot (2 NICs and 3 disks each, every field set), and the
// bytes per interval with and without gzip. Prints one JSON object; bench/run.sh puts it in the table.
#include <chrono>
#include <cstdio>
#include <string>

#include "influx/measurements.hpp"
#include "util/gzip.hpp"

namespace {

collect::Snapshot synthetic(int domains, std::chrono::seconds at, std::uint64_t tick)
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

}  // namespace

int main()
{
    const auto previous = synthetic(1000, std::chrono::seconds(1'700'000'000), 100);
    const auto current = synthetic(1000, std::chrono::seconds(1'700'000'005), 101);
    const influx::MeasurementOptions options{"hv-bench", {}};

    std::size_t lines = 0;
    std::size_t bytes = 0;
    std::string body;
    const int rounds = 20;
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r) {
        const auto encoded = influx::measurement_lines(current, &previous, options, influx::Precision::ns);
        lines += encoded.size();
        if (r == 0) {
            for (const auto& l : encoded) body += l + "\n";
            bytes = body.size();
        }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::size_t per_interval = lines / rounds;
    const std::size_t gz = util::gzip_compress(body).size();
    std::printf(
        "{\"domains\": 1000, \"lines_per_interval\": %zu, \"lines_per_second\": %.0f, "
        "\"bytes_per_line\": %.1f, \"bytes_per_interval\": %zu, \"gzip_bytes_per_interval\": %zu}\n",
        per_interval, static_cast<double>(lines) / secs, static_cast<double>(bytes) / per_interval, bytes, gz);
    return 0;
}
