#include <doctest/doctest.h>

#include "collect/guest_filesystems.hpp"

namespace {

using virt::TypedParam;

// What libvirt 9.0's QEMU driver gives for a guest with / on vda1 and /boot on vda2 (qemu-ga 7.2).
std::vector<TypedParam> two_filesystems()
{
    return {
        {"fs.count", std::uint64_t{2}},
        {"fs.0.mountpoint", std::string("/")},
        {"fs.0.name", std::string("vda1")},
        {"fs.0.fstype", std::string("ext4")},
        {"fs.0.total-bytes", std::uint64_t{10'000'000'000}},
        {"fs.0.used-bytes", std::uint64_t{4'000'000'000}},
        {"fs.0.disk.count", std::uint64_t{1}},
        {"fs.0.disk.0.alias", std::string("vda")},
        {"fs.0.disk.0.serial", std::string("root-disk")},
        {"fs.0.disk.0.device", std::string("/dev/vda1")},
        {"fs.1.mountpoint", std::string("/boot")},
        {"fs.1.name", std::string("vda2")},
        {"fs.1.fstype", std::string("vfat")},
        {"fs.1.total-bytes", std::uint64_t{500'000'000}},
        {"fs.1.used-bytes", std::uint64_t{100'000'000}},
        {"fs.1.disk.count", std::uint64_t{1}},
        {"fs.1.disk.0.alias", std::string("vda")},
    };
}

}  // namespace

TEST_CASE("parses each filesystem's mountpoint, type, sizes and disks")
{
    const auto fs = collect::parse_guest_filesystems(two_filesystems());
    REQUIRE(fs.size() == 2);
    CHECK(fs[0].mountpoint == "/");
    CHECK(fs[0].name == "vda1");
    CHECK(fs[0].fstype == "ext4");
    CHECK(fs[0].size_bytes == 10'000'000'000u);
    CHECK(fs[0].used_bytes == 4'000'000'000u);
    REQUIRE(fs[0].disks.size() == 1);
    CHECK(fs[0].disks[0] == collect::GuestDisk{"vda", "root-disk", "/dev/vda1"});
    CHECK(fs[1].mountpoint == "/boot");
    CHECK(fs[1].disk_aliases() == "vda");
}

TEST_CASE("no parameters and a zero count give no filesystem")
{
    CHECK(collect::parse_guest_filesystems({}).empty());
    CHECK(collect::parse_guest_filesystems({{"fs.count", std::uint64_t{0}}, {"fs.0.mountpoint", std::string("/")}})
              .empty());
}

TEST_CASE("a negative count gives no filesystem and a huge one is bounded")
{
    CHECK(collect::parse_guest_filesystems({{"fs.count", std::int64_t{-5}}, {"fs.0.mountpoint", std::string("/")}})
              .empty());
    std::vector<TypedParam> huge{{"fs.count", std::uint64_t{1} << 62}};
    for (std::size_t i = 0; i < collect::max_guest_filesystems + 10; ++i)
        huge.push_back({"fs." + std::to_string(i) + ".mountpoint", "/m" + std::to_string(i)});
    huge.push_back({"fs.18446744073709551615.mountpoint", std::string("/far")});
    huge.push_back({"fs.99999999999999999999999.mountpoint", std::string("/farther")});
    CHECK(collect::parse_guest_filesystems(huge).size() == collect::max_guest_filesystems);
}

TEST_CASE("a disk count bounds the disks and huge disk indexes are ignored")
{
    auto params = two_filesystems();
    params.push_back({"fs.0.disk.1.alias", std::string("vdb")});  // beyond disk.count 1
    params.push_back({"fs.0.disk.4000000000.alias", std::string("vdz")});
    params.push_back({"fs.1.disk.count", std::int64_t{-1}});
    const auto fs = collect::parse_guest_filesystems(params);
    REQUIRE(fs.size() == 2);
    CHECK(fs[0].disks.size() == 1);
    CHECK(fs[1].disks.empty());
}

TEST_CASE("a filesystem without a mountpoint or with one seen before is left out, missing sizes stay empty")
{
    const auto fs = collect::parse_guest_filesystems({
        {"fs.count", std::uint64_t{3}},
        {"fs.0.fstype", std::string("ext4")},
        {"fs.1.mountpoint", std::string("/data")},
        {"fs.1.total-bytes", std::string("many")},  // wrong type
        {"fs.2.mountpoint", std::string("/data")},
    });
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].mountpoint == "/data");
    CHECK_FALSE(fs[0].size_bytes);
    CHECK_FALSE(fs[0].used_bytes);
    CHECK(fs[0].disk_aliases().empty());
}

TEST_CASE("malformed names are ignored without throwing")
{
    CHECK_NOTHROW(collect::parse_guest_filesystems({
        {"fs.", std::string("x")},
        {"fs.x.mountpoint", std::string("/x")},
        {"fs.0", std::string("/y")},
        {"fs.-1.mountpoint", std::string("/z")},
        {"fs.0.disk.", std::string("a")},
        {"fs.0.disk.0", std::string("a")},
        {"fs.0.mountpoint", std::uint64_t{7}},
    }));
    CHECK(collect::parse_guest_filesystems(
              {{"fs.x.mountpoint", std::string("/x")}, {"fs.-1.mountpoint", std::string("/z")}})
              .empty());
}

TEST_CASE("names that are not UTF-8 are repaired and long ones are cut")
{
    const auto fs = collect::parse_guest_filesystems({
        {"fs.count", std::uint64_t{1}},
        {"fs.0.mountpoint", std::string("/mnt/caf\xE9")},
        {"fs.0.fstype", std::string(5000, 'x')},
    });
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].mountpoint == "/mnt/caf\xEF\xBF\xBD");
    CHECK(fs[0].fstype.size() == collect::max_guest_text);
}

TEST_CASE("several disks of one filesystem are joined in the disk label")
{
    const auto fs = collect::parse_guest_filesystems({
        {"fs.count", std::uint64_t{1}},
        {"fs.0.mountpoint", std::string("/srv")},
        {"fs.0.disk.count", std::uint64_t{3}},
        {"fs.0.disk.0.alias", std::string("vdb")},
        {"fs.0.disk.1.device", std::string("/dev/sdx")},
        {"fs.0.disk.2.alias", std::string("vdc")},
    });
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].disks.size() == 3);
    CHECK(fs[0].disk_aliases() == "vdb,vdc");
}
