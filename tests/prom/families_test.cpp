#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "prom/families.hpp"
#include "prom/snapshot_collectable.hpp"
#include "support/sample_snapshot.hpp"
#include "support/stats_fixture.hpp"

namespace {

prom::Scrape scrape_of(collect::Snapshot s)
{
    prom::Scrape scrape;
    scrape.snapshot = std::make_shared<collect::Snapshot>(std::move(s));
    scrape.status.fresh = true;
    scrape.status.collections = 7;
    scrape.status.snapshot_age_seconds = 0.5;
    scrape.status.cache = {10, 3, 1, 3};
    scrape.status.version = "test";
    return scrape;
}

const prometheus::MetricFamily* find(const prom::Families& fs, const std::string& name)
{
    for (const auto& f : fs)
        if (f.name == name) return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("a fixed snapshot renders exactly the golden metrics file")
{
    const std::string text = prom::render_text(prom::build_families(scrape_of(test_support::sample_snapshot())));
    const std::string path = test_support::fixture_path("expected/metrics.prom");
    if (std::getenv("UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << text;
    }
    CHECK(text == test_support::read_file(path));
}

TEST_CASE("a value libvirt did not report produces no series, and an empty family is left out")
{
    const auto fs = prom::build_families(scrape_of(test_support::sample_snapshot()));
    const auto* user = find(fs, "libvirt_domain_cpu_user_seconds_total");
    REQUIRE(user != nullptr);
    CHECK(user->metric.size() == 1);  // only one-42 reported cpu.user
    const auto* wait = find(fs, "libvirt_domain_vcpu_wait_seconds_total");
    REQUIRE(wait != nullptr);
    CHECK(wait->metric.size() == 1);  // vCPU 1 reported no wait time
    CHECK(find(fs, "libvirt_domain_block_stats_errors_total") == nullptr);
}

TEST_CASE("units are converted to bytes and seconds")
{
    const auto fs = prom::build_families(scrape_of(test_support::sample_snapshot()));
    const auto* maxmem = find(fs, "libvirt_domain_info_maximum_memory_bytes");
    REQUIRE(maxmem != nullptr);
    CHECK(maxmem->metric[0].gauge.value == doctest::Approx(2097152.0 * 1024));
    const auto* cpu = find(fs, "libvirt_domain_info_cpu_time_seconds_total");
    REQUIRE(cpu != nullptr);
    CHECK(cpu->metric[0].counter.value == doctest::Approx(123.0));
    const auto* used = find(fs, "libvirt_domain_memory_stats_used_percent");
    REQUIRE(used != nullptr);
    CHECK(used->metric[0].gauge.value == doctest::Approx(25.0));
}

TEST_CASE("every per-domain series carries domain and uuid labels")
{
    const auto fs = prom::build_families(scrape_of(test_support::sample_snapshot()));
    for (const auto& f : fs) {
        if (!f.name.starts_with("libvirt_domain_")) continue;
        for (const auto& m : f.metric) {
            REQUIRE(m.label.size() >= 2);
            CHECK(m.label[0].name == "domain");
            CHECK(m.label[1].name == "uuid");
        }
    }
}

TEST_CASE("without libvirt only the exporter's own families are served, with libvirt_up 0")
{
    collect::Snapshot down;
    down.libvirt_up = false;
    down.error = "not connected";
    const auto fs = prom::build_families(scrape_of(down));
    const auto* up = find(fs, "libvirt_up");
    REQUIRE(up != nullptr);
    CHECK(up->metric[0].gauge.value == 0);
    CHECK(find(fs, "libvirt_domains") == nullptr);

    prom::Scrape none;  // before the first collection finished
    const auto fs2 = prom::build_families(none);
    REQUIRE(find(fs2, "libvirt_up") != nullptr);
    CHECK(find(fs2, "libvirt_up")->metric[0].gauge.value == 0);
}

TEST_CASE("a stale answer is marked in virt_exporter_snapshot_stale")
{
    auto scrape = scrape_of(test_support::sample_snapshot());
    scrape.status.fresh = false;
    const auto fs = prom::build_families(scrape);
    const auto* stale = find(fs, "virt_exporter_snapshot_stale");
    REQUIRE(stale != nullptr);
    CHECK(stale->metric[0].gauge.value == 1);
}
