#include <doctest/doctest.h>

#include "influx/guest_fs_lines.hpp"
#include "support/line_protocol_reader.hpp"
#include "support/sample_guests.hpp"
#include "support/sample_snapshot.hpp"

TEST_CASE("vm_devices devtype=fs: one point per guest filesystem with the domain's tags and byte fields")
{
    const influx::MeasurementOptions options{.host = "hv1", .extra_tags = {}};
    std::vector<std::string> lines;
    influx::append_guest_fs_lines(test_support::sample_snapshot(), test_support::sample_guests(), options,
                                  influx::Precision::s, lines);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] ==
          "vm_devices,VMID=42,device=/,devtype=fs,host=hv1,name=one-42,uuid=11111111-2222-3333-4444-555555555555 "
          "fs_size=10000000000i,fs_used=4000000000i 1700000000");
    const auto odd = influx::parse_line(lines[1], influx::Precision::s);
    REQUIRE(odd.has_value());
    CHECK(odd->fields.size() == 1);  // no used-bytes: no fs_used
    bool has_device = false;
    for (const auto& t : odd->tags) has_device |= t.key == "device" && t.value == "/mnt/a \"b\",c=d";
    CHECK(has_device);
}

TEST_CASE("vm_devices devtype=fs: nothing without vm_devices, with the agent off, or for an unknown domain")
{
    const auto snap = test_support::sample_snapshot();
    influx::MeasurementOptions no_devices{.host = "", .extra_tags = {}, .measurements = config::m_vm_metrics};
    CHECK(influx::guest_fs_points(snap, test_support::sample_guests(), no_devices).empty());
    CHECK(influx::guest_fs_points(snap, {}, {}).empty());
    auto guests = test_support::sample_guests();
    guests.domains[0].uuid = "00000000-0000-0000-0000-000000000000";
    CHECK(influx::guest_fs_points(snap, guests, {}).empty());
}

TEST_CASE("the devtype=fs field catalog names the guest agent call")
{
    const auto catalog = influx::guest_fs_field_catalog();
    REQUIRE(catalog.size() == 2);
    CHECK(catalog[0].field == "fs_size");
    CHECK(catalog[1].source.find("virDomainGetGuestInfo") != std::string::npos);
}
