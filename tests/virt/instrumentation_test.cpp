// The libvirt calls virt::Connection counts into the exporter's own instrumentation
// (virt_exporter_libvirt_calls_total{api}): one per DomainSource call that reached a connection, named by
// the libvirt function doing the work, on libvirt's test driver.
#include <doctest/doctest.h>

#include "instr/instruments.hpp"
#include "support/virt_helpers.hpp"

namespace {

std::string calls_line(const prometheus::Registry& registry, std::string_view api)
{
    std::string text;
    instr::append_text(registry, text);
    const std::string prefix = "virt_exporter_libvirt_calls_total{api=\"" + std::string(api) + "\"} ";
    const auto at = text.find("\n" + prefix);
    if (at == std::string::npos) return "";
    return text.substr(at + 1 + prefix.size(), text.find('\n', at + 1) - at - 1 - prefix.size());
}

std::unique_ptr<virt::Connection> counting_connection(instr::Instruments& instruments, unsigned parallel)
{
    auto options = virt_test::options_for(virt_test::demo_node_uri());
    options.parallel = parallel;
    auto conn = std::make_unique<virt::Connection>(options);
    conn->set_instruments(&instruments);
    conn->start();
    REQUIRE(conn->wait_connected(std::chrono::seconds(10)));
    return conn;
}

}  // namespace

TEST_CASE("each DomainSource call is counted under the libvirt API that does its work")
{
    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    auto conn = counting_connection(instruments, 1);
    const auto records = conn->all_domain_stats(virt::default_stats_groups);
    REQUIRE_FALSE(records.empty());
    conn->all_domain_stats(virt::default_stats_groups);
    conn->domain_xml(records.front().domain);
    conn->domain_info(records.front().domain);
    CHECK(calls_line(registry, "virConnectGetAllDomainStats") == "2");
    CHECK(calls_line(registry, "virDomainGetXMLDesc") == "1");
    CHECK(calls_line(registry, "virDomainGetInfo") == "1");
    CHECK(calls_line(registry, "virDomainListGetStats") == "0");
    // The test driver lacks virDomainGetJobStats: the call is made (and counted) and says unsupported.
    CHECK_THROWS_AS(conn->job_stats(records.front().domain), virt::Error);
    CHECK(calls_line(registry, "virDomainGetJobStats") == "1");
}

TEST_CASE("a split collection (libvirt.parallel > 1) is counted as virDomainListGetStats")
{
    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    auto conn = counting_connection(instruments, 2);
    conn->all_domain_stats(virt::default_stats_groups);
    CHECK(calls_line(registry, "virDomainListGetStats") == "1");
    CHECK(calls_line(registry, "virConnectGetAllDomainStats") == "0");
}

TEST_CASE("a call without a connection is not counted")
{
    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    virt::Connection conn(virt_test::options_for(virt_test::demo_node_uri()));
    conn.set_instruments(&instruments);
    CHECK_THROWS_AS(conn.all_domain_stats(virt::default_stats_groups), virt::Error);  // never started
    CHECK(calls_line(registry, "virConnectGetAllDomainStats") == "0");
}
