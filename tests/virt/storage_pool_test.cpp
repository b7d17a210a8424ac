// virt::Connection's storage-pool calls against libvirt's real test driver: the demo node's pool
// demo-images, each call counted under its libvirt API.
#include <doctest/doctest.h>

#include "instr/instruments.hpp"
#include "support/virt_helpers.hpp"

using namespace virt_test;

TEST_CASE("the demo node's pool is listed, answers virStoragePoolGetInfo and its XML is the definition")
{
    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    auto options = options_for(demo_node_uri());
    virt::Connection conn(options);
    conn.set_instruments(&instruments);
    conn.start();
    REQUIRE(conn.wait_connected(std::chrono::seconds(10)));

    const auto pools = conn.list_storage_pools();
    REQUIRE(pools.size() == 1);
    CHECK(pools[0] == virt::StoragePoolRef{"demo-images", "6f0c7b9e-2d1a-4c8e-9b3f-5a7d1e2c4b60"});
    const auto info = conn.storage_pool_info(pools[0]);
    CHECK(info.state == 2);  // running
    CHECK(info.capacity == 107374182400ULL);
    CHECK(info.capacity == info.allocation + info.available);
    const std::string xml = conn.storage_pool_xml(pools[0]);
    CHECK(xml.find("<pool type='dir'>") != std::string::npos);
    CHECK(xml.find("<path>/var/lib/libvirt/images</path>") != std::string::npos);

    std::string text;
    instr::append_text(registry, text);
    CHECK(text.find("api=\"virConnectListAllStoragePools\"} 1") != std::string::npos);
    CHECK(text.find("api=\"virStoragePoolGetInfo\"} 1") != std::string::npos);
    CHECK(text.find("api=\"virStoragePoolGetXMLDesc\"} 1") != std::string::npos);
}

TEST_CASE("a pool that is gone is an error naming the lookup, not a crash")
{
    auto conn = connect(demo_node_uri());
    CHECK_THROWS_WITH_AS(conn->storage_pool_info({"ghost", "00000000-0000-0000-0000-000000000000"}),
                         doctest::Contains("virStoragePoolLookupByUUIDString(ghost)"), virt::Error);
}
