#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "collect/snapshot_json.hpp"
#include "support/sample_snapshot.hpp"
#include "util/json_reader.hpp"

namespace {

// snapshot_to_json(snap) read back.
util::JsonValue read_back(const collect::Snapshot& snap, bool pretty = true)
{
    auto doc = util::parse_json(collect::snapshot_to_json(snap, pretty));
    REQUIRE(doc.has_value());
    return std::move(*doc);
}

const util::JsonValue& member(const util::JsonValue& v, std::string_view key)
{
    const util::JsonValue* m = v.member(key);
    REQUIRE_MESSAGE(m != nullptr, "no member ", std::string(key));
    return *m;
}

const util::JsonArray& array(const util::JsonValue& v, std::string_view key)
{
    const util::JsonArray* a = member(v, key).array();
    REQUIRE_MESSAGE(a != nullptr, std::string(key), " is not an array");
    return *a;
}

std::string text(const util::JsonValue& v)
{
    REQUIRE(v.string() != nullptr);
    return *v.string();
}

}  // namespace

TEST_CASE("snapshot_to_json writes one JSON object ending in a newline")
{
    const std::string json = collect::snapshot_to_json(test_support::sample_snapshot());
    REQUIRE(!json.empty());
    CHECK(json.back() == '\n');
    CHECK(read_back(test_support::sample_snapshot()).object() != nullptr);
}

TEST_CASE("snapshot_to_json writes the collection's time as RFC 3339 UTC with milliseconds")
{
    const util::JsonValue doc = read_back(test_support::sample_snapshot());
    CHECK(text(member(doc, "taken_at")) == "2023-11-14T22:13:20.000Z");
    CHECK(member(doc, "sequence").unsigned_integer() == 7u);
    const bool* up = std::get_if<bool>(&member(doc, "libvirt_up").value);
    REQUIRE(up != nullptr);
    CHECK(*up);
}

TEST_CASE("snapshot_to_json writes every domain in order with its name, uuid and vmid")
{
    const collect::Snapshot snap = test_support::sample_snapshot();
    const util::JsonValue doc = read_back(snap);
    const util::JsonArray& domains = array(doc, "domains");
    REQUIRE(domains.size() == snap.domains.size());
    for (std::size_t i = 0; i < snap.domains.size(); ++i) {
        CHECK(text(member(domains[i], "name")) == snap.domains[i].name);
        CHECK(text(member(domains[i], "uuid")) == snap.domains[i].uuid);
    }
    CHECK(text(member(domains[0], "vmid")) == "42");
}

TEST_CASE("snapshot_to_json leaves out an empty vmid and the xml of a domain without devices")
{
    const util::JsonValue doc = read_back(test_support::sample_snapshot());
    const util::JsonArray& domains = array(doc, "domains");
    const util::JsonValue& stopped = domains.back();
    REQUIRE(text(member(stopped, "name")) == "stopped");
    CHECK(stopped.member("vmid") == nullptr);
    CHECK(stopped.member("xml") == nullptr);
    CHECK(member(domains[0], "xml").member("os_type") != nullptr);
}

TEST_CASE("snapshot_to_json names each stats group and keeps a failed group's error")
{
    const collect::Snapshot snap = test_support::sample_snapshot();
    const util::JsonValue doc = read_back(snap);
    const util::JsonArray& groups = array(doc, "groups");
    REQUIRE(groups.size() == snap.groups.size());
    CHECK(text(member(groups.front(), "group")) == "state");
    const util::JsonValue* block = nullptr;
    for (const auto& g : groups)
        if (text(member(g, "group")) == "block") block = &g;
    REQUIRE(block != nullptr);
    CHECK(text(member(*block, "error")) == "virDomainBlockStats failed");
}

TEST_CASE("snapshot_to_json escapes a hostile domain name so that it reads back the same")
{
    const collect::Snapshot snap = test_support::sample_snapshot();
    const util::JsonValue doc = read_back(snap, false);
    CHECK(text(member(array(doc, "domains")[1], "name")) == snap.domains[1].name);
}

TEST_CASE("snapshot_to_json without pretty printing writes one line")
{
    const std::string json = collect::snapshot_to_json(test_support::sample_snapshot(), false);
    CHECK(json.find('\n') == json.size() - 1);
}

TEST_CASE("snapshot_to_json writes each vCPU's host CPU and affinity and a disk's I/O limits that are set")
{
    const util::JsonValue doc = read_back(test_support::sample_snapshot());
    const util::JsonValue& domain = array(doc, "domains")[0];
    const util::JsonArray& vcpus = array(domain, "vcpus");
    REQUIRE(vcpus.size() == 2);
    CHECK(member(vcpus[0], "host_cpu").unsigned_integer() == 2u);
    CHECK(text(member(vcpus[0], "affinity")) == "2");
    CHECK(text(member(vcpus[1], "affinity")) == "0-7");
    const util::JsonValue& iotune = member(array(domain, "disks")[0], "iotune");
    REQUIRE(iotune.object() != nullptr);
    CHECK(iotune.object()->keys == std::vector<std::string>{"total_bytes_sec", "read_iops_sec"});
    CHECK(member(iotune, "total_bytes_sec").unsigned_integer() == 10485760u);
    CHECK(member(iotune, "read_iops_sec").unsigned_integer() == 200u);
}

TEST_CASE("snapshot_to_json leaves out the host CPU, affinity and limits that were not measured")
{
    collect::Snapshot snap = test_support::sample_snapshot();
    auto& domain = snap.domains[0];
    for (auto& v : domain.vcpus) {
        v.host_cpu.reset();
        v.affinity.clear();
    }
    domain.disks[0].iotune = {};
    const util::JsonValue doc = read_back(snap);
    const util::JsonValue& written = array(doc, "domains")[0];
    for (const auto& v : array(written, "vcpus")) {
        CHECK(v.member("host_cpu") == nullptr);
        CHECK(v.member("affinity") == nullptr);
    }
    CHECK(array(written, "disks")[0].member("iotune") == nullptr);
}
