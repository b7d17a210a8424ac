// Push-path benchmark, in process: lines encoded per second and bytes per line for the four
// measurements of a synthetic 1000-domain snapshot (2 NICs and 3 disks each, every field set), and the
// bytes per interval with and without gzip. Prints one JSON object; bench/run.sh puts it in the table.
#include <chrono>
#include <cstdio>
#include <string>

#include "bench/synthetic_snapshot.hpp"
#include "influx/measurements.hpp"
#include "util/gzip.hpp"

int main()
{
    const auto previous = bench::synthetic(1000, std::chrono::seconds(1'700'000'000), 100);
    const auto current = bench::synthetic(1000, std::chrono::seconds(1'700'000'005), 101);
    const influx::MeasurementOptions options{"hv-bench", {}, config::all_measurements};

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
        "{\"bench\": \"push_encode\", \"domains\": 1000, \"lines_per_interval\": %zu, \"lines_per_second\": %.0f, "
        "\"bytes_per_line\": %.1f, \"bytes_per_interval\": %zu, \"gzip_bytes_per_interval\": %zu}\n",
        per_interval, static_cast<double>(lines) / secs, static_cast<double>(bytes) / per_interval, bytes, gz);
    return 0;
}
