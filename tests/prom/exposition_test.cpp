#include <doctest/doctest.h>

#include <atomic>
#include <string>

#include "prom/exposition.hpp"
#include "support/manual_clock.hpp"
#include "support/sample_snapshot.hpp"
#include "util/gzip.hpp"

using namespace std::chrono_literals;

namespace {

struct Rig {
    test_support::ManualClock clock;
    collect::DeviceCache cache{clock, 60s};
    std::atomic<int> collections{0};
    collect::SnapshotStore store{[this] {
                                     ++collections;
                                     return test_support::sample_snapshot();
                                 },
                                 clock, 1000ms};
    prom::Exposition metrics{store, cache, clock, 2000ms};
};

std::string strip_volatile(std::string text)
{
    // virt_exporter_snapshot_age_seconds and the process_* values change between two scrapes.
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = std::min(text.find('\n', pos), text.size());
        const std::string_view line(text.data() + pos, end - pos);
        if (!line.starts_with("virt_exporter_snapshot_age_seconds ") && !line.starts_with("process_"))
            out.append(line).push_back('\n');
        pos = end + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("render() gives the same exposition as rendering every family of the scrape")
{
    Rig rig;
    const std::string rendered = rig.metrics.render();
    CHECK(strip_volatile(rendered) == strip_volatile(prom::render_text(rig.metrics.scrape())));
    CHECK(rendered.find("# TYPE libvirt_up gauge") < rendered.find("libvirt_domain_info_cpu_time_seconds_total{"));
    CHECK(rendered.find("libvirt_domain_info_cpu_time_seconds_total{") < rendered.find("# TYPE process_threads"));
}

TEST_CASE("scrapes of one snapshot share its collection and render the same text; a new snapshot is rendered anew")
{
    Rig rig;
    const std::string first = rig.metrics.render();
    const std::string second = rig.metrics.render();
    CHECK(rig.collections == 1);
    CHECK(strip_volatile(first) == strip_volatile(second));
    rig.clock.advance(1500ms);  // past max_age: the next scrape collects again
    const std::string third = rig.metrics.render();
    CHECK(rig.collections == 2);
    CHECK(third.find("virt_exporter_collections_total 2") != std::string::npos);
}

TEST_CASE("the gzip exposition, compressed while written in chunks, unpacks to exactly the plain text")
{
    // 600 domains: the text spans many 64 KiB chunks.
    collect::Snapshot big = test_support::sample_snapshot();
    const auto one = big.domains;
    for (int copy = 1; copy < 200; ++copy)
        for (auto d : one) {
            d.name += "-" + std::to_string(copy);
            big.domains.push_back(std::move(d));
        }
    prom::Scrape scrape;
    scrape.snapshot = std::make_shared<collect::Snapshot>(std::move(big));
    scrape.status.version = "test";
    const std::string text = prom::render_text(scrape);
    CHECK(text.size() > 20 * 64 * 1024);
    CHECK(util::gzip_decompress(prom::render_gzip(scrape)) == text);

    prom::Scrape empty;
    CHECK(util::gzip_decompress(prom::render_gzip(empty)) == prom::render_text(empty));
}

TEST_CASE("render_gzip() serves the same exposition as render()")
{
    Rig rig;
    CHECK(strip_volatile(util::gzip_decompress(rig.metrics.render_gzip())) == strip_volatile(rig.metrics.render()));
}
