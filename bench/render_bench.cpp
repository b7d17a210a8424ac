// /metrics rendering alone, in process: series per second and bytes per series for a synthetic
// 1000-domain Snapshot (2 NICs, 3 disks each), writing the whole exposition as the exporter does for
// one scrape (prom::render_text: label sets escaped once per domain and device, then every family), and
// the time of the gzip variant (prom::render_gzip) a Prometheus scrape gets.
// Then the cost of the exporter's own instrumentation (src/instr): renders without and with a Registry
// holding what a running daemon's holds appended, alternately (before and after in one process, one
// machine state), the serialization of that Registry alone, and the time of one record_* call on the
// paths that record per request, per collection or per libvirt call.
// Prints one JSON object; bench/run.sh puts it in the table.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/synthetic_snapshot.hpp"
#include "instr/instruments.hpp"
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

// A Registry as a daemon's looks after a while: requests on every handler, the six default stats groups,
// one write API, and some of every counter.
void fill(instr::Instruments& instruments)
{
    for (const char* handler : {"/metrics", "/", "/healthz", "/readyz", "/api/status", "/api/vms", "other"})
        for (int i = 0; i < 50; ++i) instruments.record_http_request(handler, i % 10 ? 200 : 401, 0.001 * i);
    for (const char* group : {"state", "cpu_total", "balloon", "vcpu", "interface", "block"})
        instruments.record_collection_group(group, 0.05);
    for (int i = 0; i < 100; ++i) {
        instruments.record_collection(0.01 * i);
        instruments.record_push_write("v1", 0.002 * i, 5000);
        instruments.record_xml_fetch(0.0001 * i);
        instruments.record_libvirt_call(instr::LibvirtApi::connect_get_all_domain_stats);
    }
    instruments.record_auth_failure(instr::AuthFailure::wrong);
    instruments.record_tls_handshake_failure();
}

// Nanoseconds per call of `record`, over `calls` calls.
template <typename Record>
double nanoseconds_per_call(Record record, int calls = 1'000'000)
{
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) record(i);
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / calls;
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

    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    fill(instruments);
    // Without and with the Registry appended, alternately, so the machine's load hits both alike.
    std::vector<double> without, with;
    std::size_t instr_bytes = 0;
    for (int round = 0; round < 21; ++round) {
        for (const bool appended : {false, true}) {
            scrape.status.instrumentation = appended ? &registry : nullptr;
            const auto start = std::chrono::steady_clock::now();
            const std::string text = prom::render_text(scrape);
            (appended ? with : without)
                .push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            if (appended) instr_bytes = text.size() - bytes;
        }
    }
    std::sort(without.begin(), without.end());
    std::sort(with.begin(), with.end());
    const double before_median = without[without.size() / 2], instr_median = with[with.size() / 2];
    // The appended text alone: prometheus-cpp's Collect and TextSerializer, once per scrape.
    const double serialize_ns = nanoseconds_per_call(
        [&](int) {
            std::string text;
            instr::append_text(registry, text);
        },
        2000);
    const double request_ns =
        nanoseconds_per_call([&](int i) { instruments.record_http_request("/metrics", 200, 0.001 * (i % 100)); });
    const double observe_ns = nanoseconds_per_call([&](int i) { instruments.record_xml_fetch(0.0001 * (i % 100)); });
    const double call_ns =
        nanoseconds_per_call([&](int) { instruments.record_libvirt_call(instr::LibvirtApi::domain_get_info); });

    std::printf(
        "{\"bench\":\"render\",\"domains\":1000,\"series\":%zu,\"bytes\":%zu,\"bytes_per_series\":%.1f,"
        "\"median_seconds\":%.4f,\"series_per_second\":%.0f,\"gzip_bytes\":%zu,\"gzip_median_seconds\":%.4f,"
        "\"instr_bytes\":%zu,\"instr_serialize_us\":%.1f,\"paired_median_seconds\":%.4f,"
        "\"instr_median_seconds\":%.4f,\"record_request_ns\":%.0f,\"observe_ns\":%.0f,\"count_call_ns\":%.0f}\n",
        series, bytes, static_cast<double>(bytes) / static_cast<double>(series), median,
        static_cast<double>(series) / median, gzip_bytes, gzip_median, instr_bytes, serialize_ns / 1000, before_median,
        instr_median, request_ns, observe_ns, call_ns);
}
