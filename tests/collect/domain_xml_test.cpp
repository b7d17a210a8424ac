#include <doctest/doctest.h>

#include <chrono>

#include "collect/domain_xml.hpp"
#include "support/stats_fixture.hpp"

using collect::parse_domain_xml;

namespace {

collect::DomainDevices parse_ok(const std::string& fixture)
{
    auto r = parse_domain_xml(test_support::read_file(test_support::fixture_path("xml/" + fixture)));
    if (auto* e = std::get_if<collect::XmlError>(&r)) FAIL("unexpected error: " << e->message);
    return std::get<collect::DomainDevices>(r);
}

std::string parse_error(std::string_view xml)
{
    auto r = parse_domain_xml(xml);
    const auto* e = std::get_if<collect::XmlError>(&r);
    REQUIRE(e != nullptr);
    return e->message;
}

}  // namespace

TEST_CASE("a QEMU domain yields identity, OS, every NIC and disk with their attributes")
{
    const auto d = parse_ok("qemu_kvm_full.xml");
    CHECK(d.name == "instance-0000002a");
    CHECK(d.uuid == "5d9e1f20-3a4b-4c5d-9e6f-7a8b9c0d1e04");  // lower-cased like libvirt's UUID strings
    CHECK(d.domain_type == "kvm");
    CHECK(d.os_type == "hvm");
    CHECK(d.arch == "x86_64");
    CHECK(d.machine == "pc-q35-7.2");

    REQUIRE(d.nics.size() == 5);  // every <interface>, also those without a target
    CHECK(d.nics[0] == collect::NicInfo{"tap693de2e9-f7", "fa:16:3e:11:22:33", "bridge", "qbr693de2e9-f7", "", "",
                                        "virtio", "1450", "net0"});
    CHECK(d.nics[1].source_network == "default");
    CHECK(d.nics[1].model == "e1000e");
    CHECK(d.nics[2].type == "ethernet");
    CHECK(d.nics[2].target == "vexptap0");
    CHECK(d.nics[3].type == "user");
    CHECK(d.nics[3].target.empty());
    CHECK(d.nics[4].type == "hostdev");
    CHECK(d.nics[4].mac == "52:54:00:dd:ee:ff");

    REQUIRE(d.disks.size() == 5);
    CHECK(d.disks[0] == collect::DiskInfo{"vda", "virtio", "disk", "file", "/var/lib/nova/instances/5d9e1f20/disk", "",
                                          "", "qemu", "qcow2", "none", "unmap", "5d9e1f20-disk", "virtio-disk0"});
    CHECK(d.disks[1].driver_discard.empty());  // an attribute the XML does not have stays empty
    CHECK(d.disks[1].source == "/dev/mapper/vg-data");
    CHECK(d.disks[1].type == "block");
    CHECK(d.disks[2].device == "cdrom");
    CHECK(d.disks[2].source.empty());
    CHECK(d.disks[3].source == "rbd://10.0.0.1:6789,10.0.0.2:6789/volumes/volume-1234");
    CHECK(d.disks[3].source_protocol == "rbd");
    CHECK(d.disks[3].source_name == "volumes/volume-1234");
    CHECK(d.disks[4].source == "default/extra.qcow2");
}

TEST_CASE("nova 1.1 metadata is read by namespace")
{
    const auto d = parse_ok("qemu_kvm_full.xml");
    REQUIRE(d.nova.has_value());
    CHECK(d.nova->instance_name == "web-1");
    CHECK(d.nova->flavor == "m1.small");
    CHECK(d.nova->user_name == "alice");
    CHECK(d.nova->user_uuid == "f1e2d3c4b5a6");
    CHECK(d.nova->project_name == "demo");
    CHECK(d.nova->project_uuid == "0a1b2c3d4e5f");
    CHECK(d.nova->root_type == "image");
}

TEST_CASE("nova 1.0 metadata in the default namespace is read too")
{
    const auto d = parse_ok("nova_1_0.xml");
    REQUIRE(d.nova.has_value());
    CHECK(d.nova->instance_name == "legacy-vm");
    CHECK(d.nova->flavor == "m1.tiny");
    CHECK(d.nova->project_name == "ops");
}

TEST_CASE("an element called nova:instance in another namespace is not taken for OpenStack metadata")
{
    const auto d = parse_ok("opennebula.xml");
    CHECK_FALSE(d.nova.has_value());
    CHECK(d.name == "one-42");
    REQUIRE(d.nics.size() == 1);
    CHECK(d.nics[0].target == "one-42-0");
}

TEST_CASE("names and paths with quotes, commas, equals, backslashes, newlines and non-ASCII keep their bytes")
{
    const auto d = parse_ok("hostile_names.xml");
    CHECK(d.name == "web \"front\",a=b\\ é-01");
    REQUIRE(d.disks.size() == 1);
    CHECK(d.disks[0].source == "/img/with space, \"q\" \\back\nnl=é.qcow2");
    CHECK(d.disks[0].serial == "SN 1");
}

TEST_CASE("a test-driver domain (virsh -c test:///default dumpxml test) is parsed")
{
    const auto d = parse_ok("test_driver.xml");
    CHECK(d.name == "test");
    CHECK(d.uuid == "6695eb01-f6a4-8304-79aa-97f2502e193f");
    CHECK(d.domain_type == "test");
    CHECK(d.os_type == "hvm");
    CHECK(d.arch == "i686");
    CHECK(d.machine.empty());
    REQUIRE(d.nics.size() == 1);
    CHECK(d.nics[0] == collect::NicInfo{"testnet0", "aa:bb:cc:dd:ee:ff", "network", "", "default", "", "", "", ""});
    REQUIRE(d.disks.size() == 1);
    CHECK(d.disks[0].source == "/guest/diskimage1");
    CHECK(d.disks[0].device == "disk");
    CHECK_FALSE(d.nova.has_value());
}

TEST_CASE("text split by comments or CDATA is read whole and only its surrounding whitespace is stripped")
{
    const auto r = parse_domain_xml(
        "<domain><name> a<!-- c -->b<![CDATA[ <&> ]]>c\t </name>"
        "<uuid>\n ABC <!-- x --></uuid><devices><disk><serial>\x01S</serial>"
        "</disk></devices></domain>");
    REQUIRE(std::holds_alternative<collect::DomainDevices>(r));
    const auto& d = std::get<collect::DomainDevices>(r);
    CHECK(d.name == "ab <&> c");
    CHECK(d.uuid == "abc");
    REQUIRE(d.disks.size() == 1);
    CHECK(d.disks[0].serial == "\x01S");  // a control character is a byte like any other
}

TEST_CASE("the balloon's statistics period: set, absent (0), no balloon or not a number (unknown)")
{
    CHECK(parse_ok("qemu_kvm_full.xml").balloon_period == 10u);
    CHECK(parse_ok("test_driver.xml").balloon_period == 0u);  // a balloon without <stats period>
    auto period_of = [](const char* devices) {
        const auto r =
            parse_domain_xml(std::string("<domain><uuid>u</uuid><devices>") + devices + "</devices></domain>");
        REQUIRE(std::holds_alternative<collect::DomainDevices>(r));
        return std::get<collect::DomainDevices>(r).balloon_period;
    };
    CHECK(period_of("<memballoon model='none'/>") == std::nullopt);
    CHECK(period_of("") == std::nullopt);
    CHECK(period_of("<memballoon model='virtio'><stats period='x5'/></memballoon>") == std::nullopt);
    CHECK(period_of("<memballoon model='virtio'><stats period='-1'/></memballoon>") == std::nullopt);
    CHECK(period_of("<memballoon model='virtio'><stats period='99999999999'/></memballoon>") == std::nullopt);
    CHECK(period_of("<memballoon model='virtio'><stats period='2'/></memballoon>") == 2u);
}

TEST_CASE("network disk hosts without a name are skipped and IPv6 hosts are bracketed")
{
    const auto r = parse_domain_xml(
        "<domain><uuid>u</uuid><devices>"
        "<disk type='network'><source protocol='nbd' name='exp'><host transport='unix' socket='/s'/></source></disk>"
        "<disk type='network'><source protocol='iscsi' name='iqn/1'><host name='fe80::1' port='3260'/></source></disk>"
        "<disk type='network'><source protocol='http' name='img'><host name='h'/></source></disk>"
        "</devices></domain>");
    REQUIRE(std::holds_alternative<collect::DomainDevices>(r));
    const auto& disks = std::get<collect::DomainDevices>(r).disks;
    REQUIRE(disks.size() == 3);
    CHECK(disks[0].source == "nbd://exp");
    CHECK(disks[1].source == "iscsi://[fe80::1]:3260/iqn/1");
    CHECK(disks[2].source == "http://h/img");
}

TEST_CASE("truncated, non-XML and rootless documents give an error value")
{
    CHECK(parse_error(test_support::read_file(test_support::fixture_path("xml/truncated.xml"))).find("domain XML") ==
          0);
    CHECK_FALSE(parse_error(test_support::read_file(test_support::fixture_path("xml/not_xml.txt"))).empty());
    CHECK(parse_error("<node><domain/></node>").find("no <domain>") != std::string::npos);
    CHECK(parse_error(test_support::read_file(test_support::fixture_path("xml/no_uuid.xml"))).find("uuid") !=
          std::string::npos);
    CHECK_FALSE(parse_error("").empty());
    CHECK_FALSE(parse_error(std::string_view("<domain>\0</domain>", 18)).empty());
}

TEST_CASE("an entity bomb is not expanded")
{
    const auto start = std::chrono::steady_clock::now();
    auto r = parse_domain_xml(test_support::read_file(test_support::fixture_path("xml/entity_bomb.xml")));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    // pugixml leaves a user-defined entity reference as its literal text.
    REQUIRE(std::holds_alternative<collect::DomainDevices>(r));
    CHECK(std::get<collect::DomainDevices>(r).name == "&f;");

    // Deeply nested conditional sections in the DTD are skipped without recursion.
    std::string dtd = "<!DOCTYPE domain [";
    for (int i = 0; i < 100000; ++i) dtd += "<![INCLUDE[";
    for (int i = 0; i < 100000; ++i) dtd += "]]>";
    dtd += "]><domain><uuid>u</uuid></domain>";
    CHECK(std::holds_alternative<collect::DomainDevices>(parse_domain_xml(dtd)));
}

TEST_CASE("deep nesting, huge attributes and invalid UTF-8 neither crash nor hang")
{
    std::string deep = "<domain><uuid>11111111-1111-1111-1111-111111111111</uuid><metadata>";
    for (int i = 0; i < 100000; ++i) deep += "<x>";
    for (int i = 0; i < 100000; ++i) deep += "</x>";
    deep += "</metadata></domain>";
    CHECK(std::holds_alternative<collect::DomainDevices>(parse_domain_xml(deep)));
    deep.resize(deep.size() / 2);  // and truncated in the middle of the nesting
    CHECK(std::holds_alternative<collect::XmlError>(parse_domain_xml(deep)));

    const std::string huge = "<domain><uuid>1</uuid><devices><disk type='file'><source file='" +
                             std::string(10'000'000, 'a') + "'/><target dev='vda'/></disk></devices></domain>";
    const auto r = parse_domain_xml(huge);
    REQUIRE(std::holds_alternative<collect::DomainDevices>(r));
    CHECK(std::get<collect::DomainDevices>(r).disks[0].source.size() == 10'000'000);

    const auto bad = parse_domain_xml("<domain><name>\xff\xfe\x01</name><uuid>u</uuid></domain>");
    CHECK((std::holds_alternative<collect::DomainDevices>(bad) || std::holds_alternative<collect::XmlError>(bad)));
}
