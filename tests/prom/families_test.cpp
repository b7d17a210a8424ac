#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "instr/instruments.hpp"
#include "prom/exposition.hpp"
#include "prom/families.hpp"
#include "support/exposition_parser.hpp"
#include "support/sample_pools.hpp"
#include "support/sample_snapshot.hpp"
#include "support/stats_fixture.hpp"

namespace {

// The exporter's own instrumentation with fixed observations, so its appended text is the same on every
// run (the daemon's durations come from real clocks; here they are given).
const prometheus::Registry& fixed_instrumentation()
{
    static const auto registry = [] {
        auto r = std::make_unique<prometheus::Registry>();
        instr::Instruments instruments(*r);
        instruments.record_http_request("/metrics", 200, 0.012);
        instruments.record_http_request("/metrics", 401, 0.0002);
        instruments.record_collection(0.25);
        instruments.record_collection_group("cpu_total", 0.1);
        instruments.record_push_write("v1", 0.004, 1200);
        instruments.record_xml_fetch(0.0007);
        instruments.record_auth_failure(instr::AuthFailure::missing);
        instruments.record_libvirt_call(instr::LibvirtApi::connect_get_all_domain_stats);
        return r;
    }();
    return *registry;
}

prom::Scrape scrape_of(collect::Snapshot s)
{
    prom::Scrape scrape;
    scrape.snapshot = std::make_shared<collect::Snapshot>(std::move(s));
    scrape.status.fresh = true;
    scrape.status.collections = 7;
    scrape.status.snapshot_age_seconds = 0.5;
    scrape.status.cache = {10, 3, 1, 3};
    scrape.status.version = "test";
    scrape.status.instrumentation = &fixed_instrumentation();
    scrape.pools = test_support::sample_pools();
    return scrape;
}

// The exposition of a scrape, read back by the strict parser.
std::vector<test_support::ParsedFamily> families_of(const prom::Scrape& scrape)
{
    return test_support::parse_exposition(prom::render_text(scrape));
}

using test_support::find_family;

}  // namespace

TEST_CASE("a fixed snapshot renders exactly the golden metrics file")
{
    const std::string text = prom::render_text(scrape_of(test_support::sample_snapshot()));
    const std::string path = test_support::fixture_path("expected/metrics.prom");
    if (std::getenv("UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << text;
    }
    CHECK(text == test_support::read_file(path));
}

TEST_CASE("a value libvirt did not report produces no series, and an empty family is left out")
{
    const auto fs = families_of(scrape_of(test_support::sample_snapshot()));
    const auto* user = find_family(fs, "libvirt_domain_cpu_user_seconds_total");
    REQUIRE(user != nullptr);
    CHECK(user->samples.size() == 1);  // only one-42 reported cpu.user
    const auto* wait = find_family(fs, "libvirt_domain_vcpu_wait_seconds_total");
    REQUIRE(wait != nullptr);
    CHECK(wait->samples.size() == 1);  // vCPU 1 reported no wait time
    CHECK(find_family(fs, "libvirt_domain_block_stats_errors_total") == nullptr);
}

TEST_CASE("units are converted to bytes and seconds")
{
    const auto fs = families_of(scrape_of(test_support::sample_snapshot()));
    const auto* maxmem = find_family(fs, "libvirt_domain_info_maximum_memory_bytes");
    REQUIRE(maxmem != nullptr);
    CHECK(maxmem->samples[0].value == doctest::Approx(2097152.0 * 1024));
    const auto* cpu = find_family(fs, "libvirt_domain_info_cpu_time_seconds_total");
    REQUIRE(cpu != nullptr);
    CHECK(cpu->samples[0].value == doctest::Approx(123.0));
    const auto* used = find_family(fs, "libvirt_domain_memory_stats_used_percent");
    REQUIRE(used != nullptr);
    CHECK(used->samples[0].value == doctest::Approx(25.0));
}

TEST_CASE("every per-domain series carries domain and uuid labels")
{
    const auto fs = families_of(scrape_of(test_support::sample_snapshot()));
    for (const auto& f : fs) {
        if (!f.name.starts_with("libvirt_domain_")) continue;
        for (const auto& m : f.samples) {
            REQUIRE(m.labels.size() >= 2);
            CHECK(m.labels[0].first == "domain");
            CHECK(m.labels[1].first == "uuid");
        }
    }
}

TEST_CASE("without libvirt only the exporter's own families are served, with libvirt_up 0")
{
    collect::Snapshot down;
    down.libvirt_up = false;
    down.error = "not connected";
    const auto fs = families_of(scrape_of(down));
    const auto* up = find_family(fs, "libvirt_up");
    REQUIRE(up != nullptr);
    CHECK(up->samples[0].value == 0);
    CHECK(find_family(fs, "libvirt_domains") == nullptr);

    prom::Scrape none;  // before the first collection finished
    const auto fs2 = families_of(none);
    REQUIRE(find_family(fs2, "libvirt_up") != nullptr);
    CHECK(find_family(fs2, "libvirt_up")->samples[0].value == 0);
}

TEST_CASE("a stale answer is marked in virt_exporter_snapshot_stale")
{
    auto scrape = scrape_of(test_support::sample_snapshot());
    scrape.status.fresh = false;
    const auto fs = families_of(scrape);
    const auto* stale = find_family(fs, "virt_exporter_snapshot_stale");
    REQUIRE(stale != nullptr);
    CHECK(stale->samples[0].value == 1);
}

TEST_CASE("every domain has libvirt_domain_timed_out, and all are 1 when the answer is an older collection's")
{
    auto scrape = scrape_of(test_support::sample_snapshot());
    auto fs = families_of(scrape);
    const auto* timed_out = find_family(fs, "libvirt_domain_timed_out");
    REQUIRE(timed_out != nullptr);
    REQUIRE(timed_out->samples.size() == 3);
    CHECK(timed_out->samples[0].value == 0);
    CHECK(timed_out->samples[1].value == 1);  // the sample's second domain was held by a job
    CHECK(timed_out->samples[2].value == 0);
    scrape.status.fresh = false;
    fs = families_of(scrape);
    timed_out = find_family(fs, "libvirt_domain_timed_out");
    REQUIRE(timed_out != nullptr);
    for (const auto& s : timed_out->samples) CHECK(s.value == 1);
}

TEST_CASE("libvirt_domain_openstack_info is there for every domain, with empty nova labels where there is no nova")
{
    const auto fs = families_of(scrape_of(test_support::sample_snapshot()));
    const auto* info = find_family(fs, "libvirt_domain_openstack_info");
    REQUIRE(info != nullptr);
    REQUIRE(info->samples.size() == 3);
    const auto& plain = info->samples[0];
    REQUIRE(plain.label("project_name") != nullptr);
    CHECK(plain.label("project_name")->empty());
    CHECK(*plain.label("instance_id") == "11111111-2222-3333-4444-555555555555");  // the UUID, as inovex
    CHECK(*info->samples[1].label("project_name") == "demo");
}

TEST_CASE("libvirt_versions_info names the running hypervisor, libvirtd and the library, and only with libvirt")
{
    auto scrape = scrape_of(test_support::sample_snapshot());
    auto fs = families_of(scrape);
    const auto* versions = find_family(fs, "libvirt_versions_info");
    REQUIRE(versions != nullptr);
    REQUIRE(versions->samples.size() == 1);
    const auto& v = versions->samples[0];
    REQUIRE(v.label("hypervisor_running") != nullptr);
    CHECK(*v.label("hypervisor_running") == "7.2.0");
    CHECK(*v.label("libvirtd_running") == "9.0.0");
    CHECK(*v.label("libvirt_library") == "9.0.1");
    auto down = test_support::sample_snapshot();
    down.versions = {};
    fs = families_of(scrape_of(down));
    CHECK(find_family(fs, "libvirt_versions_info") == nullptr);
}

TEST_CASE("storage pools: values of answered pools, info and timed_out of every pool, and the failed count")
{
    const auto fs = families_of(scrape_of(test_support::sample_snapshot()));
    const auto* capacity = find_family(fs, "libvirt_storage_pool_capacity_bytes");
    REQUIRE(capacity != nullptr);
    REQUIRE(capacity->samples.size() == 1);  // the pool that never answered has no values
    CHECK(*capacity->samples[0].label("storage_pool") == "images");
    CHECK(capacity->samples[0].value == 107374182400.0);
    CHECK(find_family(fs, "libvirt_storage_pool_available_bytes")->samples[0].value == 85899345920.0);
    CHECK(find_family(fs, "libvirt_storage_pool_allocation_bytes")->samples[0].value == 21474836480.0);
    CHECK(find_family(fs, "libvirt_storage_pool_state")->samples[0].value == 2);
    const auto* info = find_family(fs, "libvirt_storage_pool_info");
    REQUIRE(info != nullptr);
    REQUIRE(info->samples.size() == 2);
    CHECK(*info->samples[0].label("target_path") == "/var/lib/libvirt/images");
    CHECK(*info->samples[1].label("storage_pool") == "nfs \"share\"");
    CHECK(*info->samples[1].label("type") == "netfs");
    const auto* timed_out = find_family(fs, "libvirt_storage_pool_timed_out");
    REQUIRE(timed_out != nullptr);
    CHECK(timed_out->samples[0].value == 0);
    CHECK(timed_out->samples[1].value == 1);
    CHECK(find_family(fs, "virt_exporter_storage_pools_failed")->samples[0].value == 1);
}

TEST_CASE("with libvirt.storage_pools off no pool family is written")
{
    auto scrape = scrape_of(test_support::sample_snapshot());
    scrape.pools = {};
    const auto fs = families_of(scrape);
    CHECK(find_family(fs, "libvirt_storage_pool_info") == nullptr);
    CHECK(find_family(fs, "virt_exporter_storage_pools_failed") == nullptr);
}
