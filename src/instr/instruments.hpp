// The exporter's own instrumentation: histograms and counters of what it does (HTTP requests,
// collections, push writes, domain XML fetches, libvirt calls, failures), on one prometheus-cpp
// Registry. /metrics appends the Registry's text after the domain families (prom/exposition.hpp).
// The hand-written gauges of prom/exporter_families.cpp (last collection's duration, ...) stay beside
// these under their own names; nothing here reuses one of their names.
//
// Ownership: app/ owns the Registry and the Instruments made on it (app/instrumentation.hpp) for the
// daemon's whole life; every recorder borrows a pointer (null: nothing is recorded, as in unit tests
// and --once) and must not outlive them.
// Thread-safety: every record_* method may be called from any thread at once (prometheus-cpp's metrics
// are atomic or locked; a labelled child is created under its family's lock).
// Throws: the constructor throws std::bad_alloc (or std::invalid_argument for a bad name, a bug); the
// record_* methods are noexcept (a child that cannot be allocated is not recorded).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "util/names.hpp"

namespace instr {

// Why a request was refused by basic auth (http/auth_handler.cpp).
enum class AuthFailure { missing, wrong, busy };
inline constexpr std::array auth_failures{AuthFailure::missing, AuthFailure::wrong, AuthFailure::busy};
std::string_view auth_failure_name(AuthFailure reason) noexcept;

// The libvirt APIs counted by virt::Connection's DomainSource methods (the seam; one per method, named
// after the libvirt function that does the work).
enum class LibvirtApi {
    connect_get_all_domain_stats,
    domain_list_get_stats,
    domain_get_xml_desc,
    domain_get_info,
    domain_get_state,
    domain_get_cpu_stats,
    domain_get_vcpus,
    domain_memory_stats,
    domain_interface_stats,
    domain_block_stats,
    connect_list_all_domains,
    connect_list_all_storage_pools,
    storage_pool_get_info,
    storage_pool_get_xml_desc,
    domain_get_job_stats,
    domain_get_guest_info,
    domain_get_block_io_tune,
};
// The one table of their names, the `api` label; row i is the enumerator of value i (checked below), so a
// counter array indexed by the enum lines up with it.
inline constexpr util::Named<LibvirtApi> libvirt_apis[] = {
    {LibvirtApi::connect_get_all_domain_stats, "virConnectGetAllDomainStats"},
    {LibvirtApi::domain_list_get_stats, "virDomainListGetStats"},
    {LibvirtApi::domain_get_xml_desc, "virDomainGetXMLDesc"},
    {LibvirtApi::domain_get_info, "virDomainGetInfo"},
    {LibvirtApi::domain_get_state, "virDomainGetState"},
    {LibvirtApi::domain_get_cpu_stats, "virDomainGetCPUStats"},
    {LibvirtApi::domain_get_vcpus, "virDomainGetVcpus"},
    {LibvirtApi::domain_memory_stats, "virDomainMemoryStats"},
    {LibvirtApi::domain_interface_stats, "virDomainInterfaceStats"},
    {LibvirtApi::domain_block_stats, "virDomainBlockStatsFlags"},
    {LibvirtApi::connect_list_all_domains, "virConnectListAllDomains"},
    {LibvirtApi::connect_list_all_storage_pools, "virConnectListAllStoragePools"},
    {LibvirtApi::storage_pool_get_info, "virStoragePoolGetInfo"},
    {LibvirtApi::storage_pool_get_xml_desc, "virStoragePoolGetXMLDesc"},
    {LibvirtApi::domain_get_job_stats, "virDomainGetJobStats"},
    {LibvirtApi::domain_get_guest_info, "virDomainGetGuestInfo"},
    {LibvirtApi::domain_get_block_io_tune, "virDomainGetBlockIoTune"},
};
inline constexpr std::size_t libvirt_api_count = std::size(libvirt_apis);
static_assert(util::rows_in_enum_order<LibvirtApi>(libvirt_apis),
              "libvirt_apis: one row per LibvirtApi, in enum order");
std::string_view libvirt_api_name(LibvirtApi api) noexcept;  // "virConnectGetAllDomainStats", ...

class Instruments {
public:
    // Registers every family on `registry`, which must outlive this object.
    explicit Instruments(prometheus::Registry& registry);
    Instruments(const Instruments&) = delete;
    Instruments& operator=(const Instruments&) = delete;

    // One HTTP request answered by `handler` (the path it is registered under, or "other") with `status`.
    void record_http_request(std::string_view handler, int status, double seconds) noexcept;
    // One whole collection, and the time of one stats group within it.
    void record_collection(double seconds) noexcept;
    void record_collection_group(std::string_view group, double seconds) noexcept;
    // A collection that started while an earlier one was still running past a caller's timeout.
    void record_collection_beside_hung() noexcept;
    // One POST of `lines` lines to the InfluxDB write API `api` ("v1", "v2", "v3").
    void record_push_write(std::string_view api, double seconds, std::size_t lines) noexcept;
    // One virDomainGetXMLDesc for the device cache (successful or not).
    void record_xml_fetch(double seconds) noexcept;
    void record_tls_handshake_failure() noexcept;
    void record_auth_failure(AuthFailure reason) noexcept;
    void record_libvirt_reconnect() noexcept;
    void record_libvirt_call(LibvirtApi api) noexcept;

private:
    prometheus::Family<prometheus::Histogram>& http_duration_;
    prometheus::Family<prometheus::Counter>& http_requests_;
    prometheus::Histogram& collection_;
    prometheus::Family<prometheus::Histogram>& collection_group_;
    prometheus::Counter& beside_hung_;
    prometheus::Family<prometheus::Histogram>& push_write_;
    prometheus::Family<prometheus::Histogram>& push_lines_;
    prometheus::Histogram& xml_fetch_;
    prometheus::Counter& tls_failures_;
    std::array<prometheus::Counter*, auth_failures.size()> auth_failures_{};
    prometheus::Counter& reconnects_;
    std::array<prometheus::Counter*, libvirt_api_count> libvirt_calls_{};
};

// The Registry's families in the text format 0.0.4 (prometheus::TextSerializer), appended to `out`.
// Throws std::bad_alloc.
void append_text(const prometheus::Registry& registry, std::string& out);

}  // namespace instr
