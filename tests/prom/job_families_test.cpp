#include <doctest/doctest.h>

#include "prom/exposition.hpp"
#include "support/exposition_parser.hpp"
#include "support/sample_snapshot.hpp"

namespace {

collect::JobSample dump_job()
{
    collect::JobSample j;
    j.type = 2;
    j.operation = 8;
    j.time_elapsed = 12345;
    j.data_total = 1000;
    j.data_processed = 400;
    j.data_remaining = 600;
    j.memory_dirty_rate = 10;
    j.memory_page_size = 4096;
    j.disk_total = 77;
    return j;
}

std::vector<test_support::ParsedFamily> families_with(std::optional<collect::JobSample> job)
{
    auto snap = test_support::sample_snapshot();
    snap.domains[0].job = std::move(job);
    prom::Scrape scrape;
    scrape.snapshot = std::make_shared<collect::Snapshot>(std::move(snap));
    return test_support::parse_exposition(prom::render_text(scrape));
}

double value_of(const std::vector<test_support::ParsedFamily>& families, std::string_view name)
{
    const auto* f = test_support::find_family(families, name);
    REQUIRE(f != nullptr);
    REQUIRE(f->samples.size() == 1);
    return f->samples[0].value;
}

}  // namespace

TEST_CASE("a running job gives libvirt_domain_job_info_* for its domain only, in seconds and bytes")
{
    const auto families = families_with(dump_job());
    CHECK(value_of(families, "libvirt_domain_job_info_type") == 2);
    CHECK(value_of(families, "libvirt_domain_job_info_operation") == 8);
    CHECK(value_of(families, "libvirt_domain_job_info_time_elapsed_seconds") == doctest::Approx(12.345));
    CHECK(value_of(families, "libvirt_domain_job_info_data_processed_bytes") == 400);
    CHECK(value_of(families, "libvirt_domain_job_info_data_total_bytes") == 1000);
    CHECK(value_of(families, "libvirt_domain_job_info_memory_dirty_rate_bytes_per_second") == 40960);
    CHECK(value_of(families, "libvirt_domain_job_info_file_total_bytes") == 77);  // inovex's file_* is disk_*
    const auto* type = test_support::find_family(families, "libvirt_domain_job_info_type");
    REQUIRE(type->samples[0].label("uuid"));
    CHECK_FALSE(test_support::find_family(families, "libvirt_domain_job_info_memory_total_bytes"));
}

TEST_CASE("without a job no libvirt_domain_job_info family is written at all")
{
    for (const auto& f : families_with(std::nullopt)) CHECK_FALSE(f.name.starts_with("libvirt_domain_job_info"));
}
