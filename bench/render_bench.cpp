// /metrics rendering alone, in process: series per second and bytes per series for a synthetic
// 1000-domain Snapshot (2 NICs, 3 disks each), writing the whole exposition as the exporter does for
// one scrape (prom::render_text: label sets escaped once per domain and device, then every family), and
// the time of the gzip variant (prom::render_gzip) a Prometheus scrape gets.
// Prints one JSON object; bench/run.sh puts it in the table.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/synthetic_snapshot.hpp"
#include "prom/exposition.hpp"
#include "prom/families.hpp"

namespace {

// Median seconds of 10 timed calls after one warm-up; `first` sees the warm-up's result.
template <typename Render, typename First>
double median_seconds(Render render, First first)
{
    std::vector<double> seconds;
    for (int round = 0; round < 11; ++round) {
        const auto start = std::chrono::steady_clock::now();
        const std::string out = render();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (round == 0)
            first(out);
        else
            seconds.push_back(s);
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

}  // namespace

int main()
{
    prom::Scrape scrape;
    scrape.snapshot =
        std::make_shared<const collect::Snapshot>(bench::synthetic(1000, std::chrono::seconds(1'700'000'000), 100));
    scrape.status.version = "bench";

    std::size_t series = 0, bytes = 0, gzip_bytes = 0;
    const double median =
        median_seconds([&] { return prom::render_text(scrape); },
                       [&](const std::string& text) {
                           bytes = text.size();
                           for (std::size_t pos = 0; pos < text.size(); pos = text.find('\n', pos) + 1)
                               if (text[pos] != '#') ++series;  // sample lines, not HELP/TYPE
                       });
    // What a gzip scrape (Prometheus') costs: the same text compressed while it is written.
    const double gzip_median = median_seconds([&] { return prom::render_gzip(scrape); },
                                              [&](const std::string& body) { gzip_bytes = body.size(); });
    std::printf(
        "{\"bench\":\"render\",\"domains\":1000,\"series\":%zu,\"bytes\":%zu,\"bytes_per_series\":%.1f,"
        "\"median_seconds\":%.4f,\"series_per_second\":%.0f,\"gzip_bytes\":%zu,\"gzip_median_seconds\":%.4f}\n",
        series, bytes, static_cast<double>(bytes) / static_cast<double>(series), median,
        static_cast<double>(series) / median, gzip_bytes, gzip_median);
}
