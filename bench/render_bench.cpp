// /metrics rendering alone, in process: series per second and bytes per series for a synthetic
// 1000-domain Snapshot (2 NICs, 3 disks each), writing the whole exposition as the exporter does for
// one scrape (prom::render_text: label sets escaped once per domain and device, then every family).
// Prints one JSON object; bench/run.sh puts it in the table.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/synthetic_snapshot.hpp"
#include "prom/families.hpp"

int main()
{
    prom::Scrape scrape;
    scrape.snapshot =
        std::make_shared<const collect::Snapshot>(bench::synthetic(1000, std::chrono::seconds(1'700'000'000), 100));
    scrape.status.version = "bench";

    std::vector<double> seconds;
    std::size_t series = 0, bytes = 0;
    for (int round = 0; round < 11; ++round) {  // the first is a warm-up
        const auto start = std::chrono::steady_clock::now();
        const std::string text = prom::render_text(scrape);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (round == 0) {
            bytes = text.size();
            for (std::size_t pos = 0; pos < text.size(); pos = text.find('\n', pos) + 1)
                if (text[pos] != '#') ++series;  // sample lines, not HELP/TYPE
            continue;
        }
        seconds.push_back(s);
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    std::printf(
        "{\"bench\":\"render\",\"domains\":1000,\"series\":%zu,\"bytes\":%zu,\"bytes_per_series\":%.1f,"
        "\"median_seconds\":%.4f,\"series_per_second\":%.0f}\n",
        series, bytes, static_cast<double>(bytes) / static_cast<double>(series), median,
        static_cast<double>(series) / median);
}
