// libvirt.parallel > 1: one collection split over several connections (virt/split_stats.hpp) returns
// what the single bulk call returns, against libvirt's real test driver in process.
#include "support/virt_helpers.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <cstdlib>

using namespace virt_test;

namespace {

std::unique_ptr<virt::Connection> connect_split(const std::string& uri, unsigned parallel)
{
    auto options = options_for(uri);
    options.parallel = parallel;
    auto conn = std::make_unique<virt::Connection>(options);
    conn->start();
    REQUIRE(conn->wait_connected(std::chrono::seconds(10)));
    return conn;
}

// Records compared by domain and field names and value types; the test driver's values are the same
// in every connection except times, which move between two calls.
void check_same_records(const std::vector<virt::DomainStatsRecord>& split,
                        const std::vector<virt::DomainStatsRecord>& bulk)
{
    REQUIRE(split.size() == bulk.size());
    for (std::size_t i = 0; i < bulk.size(); ++i) {
        INFO(bulk[i].domain.name);
        CHECK(split[i].domain == bulk[i].domain);
        REQUIRE(split[i].params.size() == bulk[i].params.size());
        for (std::size_t p = 0; p < bulk[i].params.size(); ++p) {
            CHECK(split[i].params[p].field == bulk[i].params[p].field);
            CHECK(split[i].params[p].value.index() == bulk[i].params[p].value.index());
        }
    }
}

// A generated node with `count` domains, removed again when the test ends.
struct GeneratedNode {
    explicit GeneratedNode(int count) : path(dir.path("node.xml"))
    {
        const std::string cmd = "python3 " + source_dir() + "/tests/fixtures/nodes/generate_node.py " +
                                std::to_string(count) + " --shutoff-every 7 -o " + path;
        ok = std::system(cmd.c_str()) == 0;
    }
    test_support::TempDir dir;
    std::string path;
    bool ok = false;
};

}  // namespace

TEST_CASE("a collection split over two connections returns the demo node's records as the bulk call does")
{
    auto bulk = connect(demo_node_uri());
    auto split = connect_split(demo_node_uri(), 2);
    check_same_records(split->all_domain_stats(virt::default_stats_groups),
                       bulk->all_domain_stats(virt::default_stats_groups));
}

TEST_CASE("split over 2, 3 and 4 connections, 60 generated domains come back complete and in bulk order")
{
    GeneratedNode node(60);
    if (!node.ok) {
        MESSAGE("python3 unavailable; skipped");
        return;
    }
    auto bulk = connect("test://" + node.path);
    const auto expected = bulk->all_domain_stats(virt::default_stats_groups);
    REQUIRE(expected.size() == 60);
    for (unsigned parallel : {2u, 3u, 4u}) {
        INFO("parallel " << parallel);
        auto split = connect_split("test://" + node.path, parallel);
        check_same_records(split->all_domain_stats(virt::default_stats_groups), expected);
        // The second collection reuses the helpers' domain handles.
        check_same_records(split->all_domain_stats(virt::default_stats_groups), expected);
    }
}

TEST_CASE("more connections than domains: every domain once, no empty share")
{
    auto split = connect_split(demo_node_uri(), 16);
    const auto records = split->all_domain_stats(virt::default_stats_groups);
    CHECK(records.size() == 5);
}

TEST_CASE("per-domain calls after a split collection use the main connection's handles")
{
    auto split = connect_split(demo_node_uri(), 3);
    const auto records = split->all_domain_stats(virt::default_stats_groups);
    const auto info = split->domain_info(record_named(records, "db-primary").domain);
    CHECK(value_of<std::uint64_t>(info, "vcpu.current") == 8);
}

TEST_CASE("a domain undefined between two split collections is left out without an error")
{
    // test:///default is shared by every connection of the process, helpers included.
    TestDriverPeer peer;
    auto split = connect_split("test:///default", 2);
    const auto before = split->all_domain_stats(virt::default_stats_groups);
    REQUIRE(before.size() == 1);
    const std::string xml =
        "<domain type='test'><name>split-extra</name><memory>65536</memory>"
        "<os><type>hvm</type></os></domain>";
    REQUIRE(peer.define(xml));
    const auto with_extra = split->all_domain_stats(virt::default_stats_groups);
    CHECK(with_extra.size() == 2);  // the extra domain is in the helper's share
    REQUIRE(peer.on_domain("split-extra", [](virDomainPtr d) { return virDomainUndefine(d); }) == 0);
    const auto after = split->all_domain_stats(virt::default_stats_groups);
    REQUIRE(after.size() == 1);
    CHECK(after[0].domain.name == "test");
}

TEST_CASE("the split collection asks libvirt for the groups it is given, with NOWAIT")
{
    auto split = connect_split(demo_node_uri(), 2);
    const auto records = split->all_domain_stats(virt::stats_state);
    REQUIRE(records.size() == 5);
    for (const auto& r : records) CHECK(has(r.params, "state.state"));
}

TEST_CASE("the chosen domains' records, on one connection and split over three, are the bulk call's for them")
{
    auto bulk = connect(demo_node_uri());
    const auto all = bulk->all_domain_stats(virt::default_stats_groups);
    const auto listed = bulk->list_domains();
    REQUIRE(listed.size() == all.size());
    std::vector<virt::DomainRef> chosen;
    std::vector<virt::DomainStatsRecord> expected;
    for (std::size_t i = 0; i < listed.size(); ++i) {
        CHECK(listed[i] == all[i].domain);  // the listing is in the bulk call's order
        if (i % 2 == 0) {
            chosen.push_back(listed[i]);
            expected.push_back(all[i]);
        }
    }
    check_same_records(bulk->domain_stats(chosen, virt::default_stats_groups), expected);
    auto split = connect_split(demo_node_uri(), 3);
    split->list_domains();
    check_same_records(split->domain_stats(chosen, virt::default_stats_groups), expected);
    CHECK(bulk->domain_stats({}, virt::default_stats_groups).empty());
}

TEST_CASE("a chosen domain that is gone by the stats call is left out without an error")
{
    GeneratedNode node(4);
    REQUIRE(node.ok);
    auto conn = connect("test://" + node.path);
    auto chosen = conn->list_domains();
    REQUIRE(chosen.size() == 4);
    chosen.push_back({"never-there", "00000000-0000-0000-0000-000000000000", -1});
    CHECK(conn->domain_stats(chosen, virt::stats_state).size() == 4);
}
