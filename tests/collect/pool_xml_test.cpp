#include <doctest/doctest.h>

#include <string>

#include "collect/pool_xml.hpp"
#include "support/stats_fixture.hpp"

using collect::parse_pool_xml;
using collect::PoolDefinition;

namespace {

PoolDefinition parse_ok(std::string_view xml)
{
    auto r = parse_pool_xml(xml);
    if (auto* e = std::get_if<collect::XmlError>(&r)) FAIL("unexpected error: " << e->message);
    return std::get<PoolDefinition>(r);
}

PoolDefinition parse_fixture(const std::string& name)
{
    return parse_ok(test_support::read_file(test_support::fixture_path("xml/" + name)));
}

std::string parse_error(std::string_view xml)
{
    auto r = parse_pool_xml(xml);
    const auto* e = std::get_if<collect::XmlError>(&r);
    REQUIRE(e != nullptr);
    return e->message;
}

}  // namespace

TEST_CASE("a dir pool yields its type, target path and lower-case uuid")
{
    const auto d = parse_fixture("pool_dir.xml");
    CHECK(d.type == "dir");
    CHECK(d.target_path == "/var/lib/libvirt/images");
    CHECK(d.uuid == "35bb2ad9-388a-cdfe-461a-b8907f6e5a1f");
}

TEST_CASE("a pool without a target path (rbd) yields an empty path")
{
    const auto d = parse_fixture("pool_rbd.xml");
    CHECK(d.type == "rbd");
    CHECK(d.target_path.empty());
    CHECK(d.uuid == "9c1a7e02-6b9f-4a53-8f1e-0d5f0d3c2b11");
}

TEST_CASE("a DTD's entities stay unexpanded and quotes, backslashes and newlines in a path are kept as bytes")
{
    auto r = parse_pool_xml(test_support::read_file(test_support::fixture_path("xml/pool_hostile.xml")));
    // pugixml without parse_doctype skips the DTD; an undeclared entity reference is kept as text.
    if (const auto* d = std::get_if<PoolDefinition>(&r)) {
        CHECK(d->type == "netfs");
        CHECK(d->target_path.size() < 200);
        CHECK(d->target_path.find("\"evil\"\\dir") != std::string::npos);
    } else {
        CHECK(std::get<collect::XmlError>(r).message.find("pool XML") == 0);
    }
}

TEST_CASE("broken, foreign and oversized documents are errors, not exceptions")
{
    CHECK(parse_error("").find("pool XML") == 0);
    CHECK(parse_error("<pool type='dir'><uuid>").find("pool XML") == 0);
    CHECK(parse_error("<domain type='kvm'/>") == "pool XML: no <pool> root element");
    CHECK(parse_error("<pool><uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid></pool>") ==
          "pool XML: no usable type attribute");
    CHECK(parse_error("<pool type='dir; DROP'><uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid></pool>") ==
          "pool XML: no usable type attribute");
    CHECK(parse_error("<pool type='dir'><uuid>not-a-uuid</uuid></pool>") == "pool XML: no usable <uuid>");
    CHECK(parse_error("<pool type='dir'></pool>") == "pool XML: no usable <uuid>");
    const std::string big(collect::max_pool_xml_bytes + 1, ' ');
    CHECK(parse_error(big).find("more than a pool definition has") != std::string::npos);
}

TEST_CASE("a target path longer than PATH_MAX is refused, never cut")
{
    const std::string path(collect::max_pool_value_bytes + 1, 'p');
    CHECK(parse_error("<pool type='dir'><uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid><target><path>/" + path +
                      "</path></target></pool>") == "pool XML: target path longer than PATH_MAX");
    const std::string fits(collect::max_pool_value_bytes - 1, 'p');
    CHECK(parse_ok("<pool type='dir'><uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid><target><path>/" + fits +
                   "</path></target></pool>")
              .target_path.size() == collect::max_pool_value_bytes);
}
