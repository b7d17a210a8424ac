// Test support for the virt tests, which run against libvirt's real test driver in process.
//
// tests/virt is the one place outside src/virt that includes <libvirt/libvirt.h>: to trigger domain
// events the tests need a read-write peer connection (TestDriverPeer), and the exporter's own code
// must never be able to change a VM, so that peer lives here and not in the library.
#pragma once

#include <libvirt/libvirt.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "build_info.hpp"  // VIRT_EXPORTER_SOURCE_DIR when the test runs outside meson test
#include "support/eventually.hpp"
#include "virt/connection.hpp"
#include "virt/domain_source.hpp"
#include "virt/handles.hpp"

namespace virt_test {

inline std::string source_dir()
{
    const char* dir = std::getenv("VIRT_EXPORTER_SOURCE_DIR");
    return dir ? dir : VIRT_EXPORTER_SOURCE_DIR;
}

// test:///<abs path>/config/demo-node.xml: five domains, one shut off (see the file's comment).
inline std::string demo_node_uri()
{
    return "test://" + source_dir() + "/config/demo-node.xml";
}

// Connection options for tests: quick backoff so reconnects do not slow the suite.
inline virt::ConnectionOptions options_for(const std::string& uri)
{
    return virt::ConnectionOptions{
        .uri = uri,
        .read_only = true,
        .nowait = true,
        .keepalive_interval = std::chrono::seconds(5),
        .keepalive_count = 5,
        .reconnect_backoff_min = std::chrono::milliseconds(50),
        .reconnect_backoff_max = std::chrono::milliseconds(200),
        .parallel = 1,
    };
}

// A started Connection that is connected (fails the test otherwise).
inline std::unique_ptr<virt::Connection> connect(const std::string& uri)
{
    auto conn = std::make_unique<virt::Connection>(options_for(uri));
    conn->start();
    REQUIRE(conn->wait_connected(std::chrono::seconds(10)));
    return conn;
}

using test_support::eventually;

inline const virt::TypedValue* find(const std::vector<virt::TypedParam>& params, const std::string& field)
{
    for (const auto& p : params)
        if (p.field == field) return &p.value;
    return nullptr;
}

inline bool has(const std::vector<virt::TypedParam>& params, const std::string& field)
{
    return find(params, field) != nullptr;
}

template <typename T>
T value_of(const std::vector<virt::TypedParam>& params, const std::string& field)
{
    const auto* v = find(params, field);
    if (!v) throw std::runtime_error("missing field " + field);
    return std::get<T>(*v);
}

inline const virt::DomainStatsRecord& record_named(const std::vector<virt::DomainStatsRecord>& records,
                                                   const std::string& name)
{
    for (const auto& r : records)
        if (r.domain.name == name) return r;
    throw std::runtime_error("no record for domain " + name);
}

// The kind of the virt::Error `fn` throws; fails the test when it does not throw one.
template <typename Fn>
virt::ErrorKind error_kind_of(Fn&& fn)
{
    try {
        fn();
    } catch (const virt::Error& e) {
        return e.kind();
    }
    FAIL("expected a virt::Error");
    return virt::ErrorKind::other;
}

// A read-write connection to the same URI. Only test:///default is shared between connections of one
// process (any other test:/// URI gives each connection its own copy), so a peer on test:///default
// changes what a Connection to test:///default sees and makes the driver emit domain events.
class TestDriverPeer {
public:
    TestDriverPeer() : conn_(virConnectOpen("test:///default")) { REQUIRE(conn_ != nullptr); }

    // Runs a libvirt call on the domain named `name`; returns its result.
    template <typename Fn>
    int on_domain(const std::string& name, Fn&& fn)
    {
        const virt::detail::DomainPtr dom(virDomainLookupByName(conn_.get(), name.c_str()));
        REQUIRE(dom != nullptr);
        return fn(dom.get());
    }

    // Defines a (persistent, shut-off) domain from `xml`; true on success.
    bool define(const std::string& xml)
    {
        return virt::detail::DomainPtr(virDomainDefineXML(conn_.get(), xml.c_str())) != nullptr;
    }

private:
    virt::detail::ConnectPtr conn_;
};

}  // namespace virt_test
