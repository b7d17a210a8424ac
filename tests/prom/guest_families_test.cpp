#include <doctest/doctest.h>

#include "prom/exposition.hpp"
#include "prom/families.hpp"
#include "support/exposition_parser.hpp"
#include "support/sample_guests.hpp"

using test_support::find_family;

namespace {

std::vector<test_support::ParsedFamily> families_with(collect::GuestAgentSnapshot guests)
{
    prom::Scrape scrape;
    scrape.guests = std::move(guests);
    return test_support::parse_exposition(prom::render_text(scrape));
}

}  // namespace

TEST_CASE("guest agent: up for every asked domain, age only where an answer came")
{
    const auto fs = families_with(test_support::sample_guests());
    const auto* up = find_family(fs, "libvirt_domain_guest_agent_up");
    REQUIRE(up != nullptr);
    REQUIRE(up->samples.size() == 2);
    CHECK(*up->samples[0].label("domain") == "one-42");
    CHECK(*up->samples[0].label("uuid") == "11111111-2222-3333-4444-555555555555");
    CHECK(up->samples[0].value == 1);
    CHECK(up->samples[1].value == 0);
    const auto* age = find_family(fs, "libvirt_domain_guest_agent_age_seconds");
    REQUIRE(age != nullptr);
    REQUIRE(age->samples.size() == 1);
    CHECK(age->samples[0].value == 12.5);
}

TEST_CASE("guest filesystems: size and used bytes per mountpoint with fstype and disk, escaped")
{
    const auto fs = families_with(test_support::sample_guests());
    const auto* size = find_family(fs, "libvirt_domain_guest_filesystem_size_bytes");
    REQUIRE(size != nullptr);
    REQUIRE(size->samples.size() == 2);
    CHECK(*size->samples[0].label("mountpoint") == "/");
    CHECK(*size->samples[0].label("fstype") == "ext4");
    CHECK(*size->samples[0].label("disk") == "vda");
    CHECK(size->samples[0].value == 10'000'000'000.0);
    CHECK(*size->samples[1].label("mountpoint") == "/mnt/a \"b\",c=d");
    CHECK(*size->samples[1].label("disk") == "");
    const auto* used = find_family(fs, "libvirt_domain_guest_filesystem_used_bytes");
    REQUIRE(used != nullptr);
    REQUIRE(used->samples.size() == 1);  // the second agent gave no used-bytes
    CHECK(used->samples[0].value == 4'000'000'000.0);
}

TEST_CASE("with libvirt.guest_agent off no guest family is written")
{
    const auto fs = families_with({});
    CHECK(find_family(fs, "libvirt_domain_guest_agent_up") == nullptr);
    CHECK(find_family(fs, "libvirt_domain_guest_filesystem_size_bytes") == nullptr);
}
