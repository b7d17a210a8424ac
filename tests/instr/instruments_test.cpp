#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "instr/instruments.hpp"

namespace {

std::string text_of(const prometheus::Registry& registry)
{
    std::string text;
    instr::append_text(registry, text);
    return text;
}

bool has_line(const std::string& text, const std::string& line)
{
    return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

}  // namespace

TEST_CASE("the families without labels and the counters of known label values exist before anything is recorded")
{
    prometheus::Registry registry;
    const instr::Instruments instruments(registry);
    const std::string text = text_of(registry);
    CHECK(has_line(text, "# TYPE virt_exporter_collection_seconds histogram"));
    CHECK(has_line(text, "virt_exporter_collection_seconds_count 0"));
    CHECK(has_line(text, "virt_exporter_device_cache_fetch_duration_seconds_count 0"));
    CHECK(has_line(text, "virt_exporter_tls_handshake_failures_total 0"));
    CHECK(has_line(text, "virt_exporter_libvirt_reconnects_total 0"));
    CHECK(has_line(text, "virt_exporter_collections_beside_hung_total 0"));
    CHECK(has_line(text, "virt_exporter_http_auth_failures_total{reason=\"missing_credentials\"} 0"));
    CHECK(has_line(text, "virt_exporter_libvirt_calls_total{api=\"virConnectGetAllDomainStats\"} 0"));
}

TEST_CASE("an HTTP request is counted by handler and code, and its duration observed by handler")
{
    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    instruments.record_http_request("/metrics", 200, 0.003);
    instruments.record_http_request("/metrics", 200, 0.02);
    instruments.record_http_request("/metrics", 401, 0.0001);
    const std::string text = text_of(registry);
    CHECK(has_line(text, "virt_exporter_http_requests_total{code=\"200\",handler=\"/metrics\"} 2"));
    CHECK(has_line(text, "virt_exporter_http_requests_total{code=\"401\",handler=\"/metrics\"} 1"));
    CHECK(has_line(text, "virt_exporter_http_request_duration_seconds_count{handler=\"/metrics\"} 3"));
    CHECK(has_line(text, "virt_exporter_http_request_duration_seconds_bucket{handler=\"/metrics\",le=\"0.005\"} 2"));
    CHECK(has_line(text, "virt_exporter_http_request_duration_seconds_bucket{handler=\"/metrics\",le=\"+Inf\"} 3"));
}

TEST_CASE("collections, stats groups, push writes and XML fetches land in their buckets")
{
    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    instruments.record_collection(0.2);
    instruments.record_collection(7.0);
    instruments.record_collection_group("block", 0.004);
    instruments.record_push_write("v2", 0.03, 5000);
    instruments.record_xml_fetch(0.0003);
    const std::string text = text_of(registry);
    CHECK(has_line(text, "virt_exporter_collection_seconds_bucket{le=\"0.25\"} 1"));
    CHECK(has_line(text, "virt_exporter_collection_seconds_bucket{le=\"5\"} 1"));
    CHECK(has_line(text, "virt_exporter_collection_seconds_bucket{le=\"10\"} 2"));
    CHECK(has_line(text, "virt_exporter_collection_group_seconds_count{group=\"block\"} 1"));
    CHECK(has_line(text, "virt_exporter_push_write_duration_seconds_bucket{api=\"v2\",le=\"0.05\"} 1"));
    CHECK(has_line(text, "virt_exporter_push_batch_lines_bucket{api=\"v2\",le=\"5000\"} 1"));
    CHECK(has_line(text, "virt_exporter_push_batch_lines_sum{api=\"v2\"} 5000"));
    CHECK(has_line(text, "virt_exporter_device_cache_fetch_duration_seconds_bucket{le=\"0.0005\"} 1"));
}

TEST_CASE("failures and libvirt calls are counted under their reason and API name")
{
    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    instruments.record_auth_failure(instr::AuthFailure::wrong);
    instruments.record_auth_failure(instr::AuthFailure::busy);
    instruments.record_tls_handshake_failure();
    instruments.record_libvirt_reconnect();
    instruments.record_collection_beside_hung();
    instruments.record_libvirt_call(instr::LibvirtApi::domain_get_xml_desc);
    instruments.record_libvirt_call(instr::LibvirtApi::domain_get_xml_desc);
    const std::string text = text_of(registry);
    CHECK(has_line(text, "virt_exporter_http_auth_failures_total{reason=\"wrong_credentials\"} 1"));
    CHECK(has_line(text, "virt_exporter_http_auth_failures_total{reason=\"too_many_attempts\"} 1"));
    CHECK(has_line(text, "virt_exporter_tls_handshake_failures_total 1"));
    CHECK(has_line(text, "virt_exporter_libvirt_reconnects_total 1"));
    CHECK(has_line(text, "virt_exporter_collections_beside_hung_total 1"));
    CHECK(has_line(text, "virt_exporter_libvirt_calls_total{api=\"virDomainGetXMLDesc\"} 2"));
}

TEST_CASE("every libvirt API has its own name, and each family is written once, a labelled one once it has a child")
{
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < instr::libvirt_api_count; ++i)
        names.insert(instr::libvirt_api_name(static_cast<instr::LibvirtApi>(i)));
    CHECK(names.size() == instr::libvirt_api_count);
    CHECK(names.count("unknown") == 0);

    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    instruments.record_http_request("/", 200, 0.001);
    instruments.record_collection_group("state", 0.001);
    instruments.record_push_write("v1", 0.001, 1);
    std::set<std::string> types;
    const std::string text = text_of(registry);
    for (std::size_t pos = text.find("# TYPE "); pos != std::string::npos; pos = text.find("# TYPE ", pos + 1)) {
        const auto end = text.find(' ', pos + 7);
        CHECK(types.insert(text.substr(pos + 7, end - pos - 7)).second);
    }
    CHECK(types.size() == 12);
}

TEST_CASE("records from many threads at once are all counted")
{
    prometheus::Registry registry;
    instr::Instruments instruments(registry);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&instruments, t] {
            for (int i = 0; i < 1000; ++i) {
                instruments.record_http_request(t % 2 ? "/metrics" : "/healthz", 200, 0.001);
                instruments.record_collection_group("cpu_total", 0.01);
            }
        });
    for (auto& t : threads) t.join();
    const std::string text = text_of(registry);
    CHECK(has_line(text, "virt_exporter_http_requests_total{code=\"200\",handler=\"/metrics\"} 2000"));
    CHECK(has_line(text, "virt_exporter_http_requests_total{code=\"200\",handler=\"/healthz\"} 2000"));
    CHECK(has_line(text, "virt_exporter_collection_group_seconds_count{group=\"cpu_total\"} 4000"));
}
