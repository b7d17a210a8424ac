#include <doctest/doctest.h>

#include "influx/pool_lines.hpp"
#include "support/line_protocol_reader.hpp"
#include "support/sample_pools.hpp"

using namespace std::chrono_literals;

namespace {

// The sample pools, the answered one timed out too (its previous answer is still pushed).
collect::PoolSnapshot two_pools()
{
    auto snap = test_support::sample_pools();
    snap.pools[0].timed_out = true;
    return snap;
}

}  // namespace

TEST_CASE("storage_pools: one point per answered pool with pool, type and host tags and integer byte fields")
{
    const influx::MeasurementOptions options{.host = "hv1", .extra_tags = {{"dc", "fra"}}};
    const auto at = std::chrono::system_clock::time_point(1'700'000'000s);
    std::vector<std::string> lines{"earlier"};
    influx::append_pool_lines(two_pools(), at, options, influx::Precision::s, lines);
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] ==
          "storage_pools,dc=fra,host=hv1,pool=images,type=dir state=2i,capacity=107374182400i,"
          "allocation=21474836480i,available=85899345920i,timed_out=1i 1700000000");
    const auto p = influx::parse_line(lines[1], influx::Precision::s);
    REQUIRE(p.has_value());
    CHECK(p->measurement == "storage_pools");
}

TEST_CASE("storage_pools: a pool without a type leaves the tag out; no pools give no lines")
{
    auto snap = two_pools();
    snap.pools[0].type.clear();
    const auto points = influx::pool_points(snap, {}, {});
    REQUIRE(points.size() == 1);
    const auto canon = influx::canonical(points[0]);
    REQUIRE(canon.has_value());
    CHECK(canon->tags == std::vector<influx::Tag>{{"pool", "images"}});
    CHECK(influx::pool_points(collect::PoolSnapshot{}, {}, {}).empty());
}

TEST_CASE("the storage_pools field catalog names every field's libvirt source")
{
    const auto catalog = influx::pool_field_catalog();
    REQUIRE(catalog.size() == 5);
    for (const auto& f : catalog) {
        CHECK(f.measurement == "storage_pools");
        CHECK(f.type == "integer");
        CHECK(f.source.find("virStoragePoolGetInfo") != std::string::npos);
    }
}
