// The settings that are one of a fixed set of words, as enums, each with its one table of names: the
// loaders parse with it, --print-config, /api/config and messages print with it, and nothing downstream
// sees the word. Header-only and light (no YAML, no <regex>) so that influx's line protocol can use
// Precision. Pure; nothing here throws.
#pragma once

#include <span>

#include "util/log.hpp"
#include "util/names.hpp"
#include "virt/stats_groups.hpp"

namespace config {

// push.api: which InfluxDB write endpoint, authentication and precision spelling (influx/write_request).
enum class PushApi { v1, v2, v3 };
inline constexpr util::Named<PushApi> push_api_names[] = {
    {PushApi::v1, "v1"}, {PushApi::v2, "v2"}, {PushApi::v3, "v3"}};

// push.precision: the unit of line-protocol timestamps.
enum class Precision { ns, us, ms, s };
inline constexpr util::Named<Precision> precision_names[] = {
    {Precision::ns, "ns"}, {Precision::us, "us"}, {Precision::ms, "ms"}, {Precision::s, "s"}};

// push.measurements: which InfluxDB measurements a push writes, as bits (a list of names in YAML). The first
// four are the seed's (SPEC §3); vm_vcpus and vm_extra carry the values only /metrics had; storage_pools is
// written with libvirt.storage_pools on.
enum Measurement : unsigned {
    m_vm_metrics = 1u << 0,
    m_vm_features = 1u << 1,
    m_vm_devices = 1u << 2,
    m_vm_totals = 1u << 3,
    m_vm_vcpus = 1u << 4,
    m_vm_extra = 1u << 5,
    m_storage_pools = 1u << 6,
};
inline constexpr util::Named<Measurement> measurement_names[] = {
    {m_vm_metrics, "vm_metrics"},       {m_vm_features, "vm_features"}, {m_vm_devices, "vm_devices"},
    {m_vm_totals, "vm_totals"},         {m_vm_vcpus, "vm_vcpus"},       {m_vm_extra, "vm_extra"},
    {m_storage_pools, "storage_pools"},
};
// Every measurement the table names (the default of push.measurements).
inline constexpr unsigned all_measurements = [] {
    unsigned all = 0;
    for (const auto& row : measurement_names) all |= row.value;
    return all;
}();

// tls_server_config.client_auth_type of the web security file: exporter-toolkit's names, Go's crypto/tls
// semantics.
enum class ClientAuth {
    none,                // NoClientCert
    request,             // RequestClientCert: asked for, not required, not verified
    require_any,         // RequireAnyClientCert: required, not verified
    verify_if_given,     // VerifyClientCertIfGiven
    require_and_verify,  // RequireAndVerifyClientCert
};
inline constexpr util::Named<ClientAuth> client_auth_names[] = {
    {ClientAuth::none, "NoClientCert"},
    {ClientAuth::request, "RequestClientCert"},
    {ClientAuth::require_any, "RequireAnyClientCert"},
    {ClientAuth::verify_if_given, "VerifyClientCertIfGiven"},
    {ClientAuth::require_and_verify, "RequireAndVerifyClientCert"},
};
// What each type asks of the TLS handshake (the server and the config check both read these).
constexpr bool asks_for_client_cert(ClientAuth a) noexcept
{
    return a != ClientAuth::none;
}
constexpr bool requires_client_cert(ClientAuth a) noexcept
{
    return a == ClientAuth::require_any || a == ClientAuth::require_and_verify;
}
constexpr bool verifies_client_cert(ClientAuth a) noexcept
{
    return a == ClientAuth::verify_if_given || a == ClientAuth::require_and_verify;
}

// tls_server_config.min_version and max_version: what exporter-toolkit offers at or above TLS 1.2.
enum class TlsVersion { tls12, tls13 };
inline constexpr util::Named<TlsVersion> tls_version_names[] = {{TlsVersion::tls12, "TLS12"},
                                                                {TlsVersion::tls13, "TLS13"}};

// Each enum's table, by overload, for code generic over the kind of setting (fields.cpp, render.cpp).
constexpr std::span<const util::Named<PushApi>> names(PushApi) noexcept
{
    return push_api_names;
}
constexpr std::span<const util::Named<Precision>> names(Precision) noexcept
{
    return precision_names;
}
constexpr std::span<const util::Named<ClientAuth>> names(ClientAuth) noexcept
{
    return client_auth_names;
}
constexpr std::span<const util::Named<TlsVersion>> names(TlsVersion) noexcept
{
    return tls_version_names;
}
constexpr std::span<const util::Named<util::LogLevel>> names(util::LogLevel) noexcept
{
    return util::log_level_names;
}
constexpr std::span<const util::Named<util::LogFormat>> names(util::LogFormat) noexcept
{
    return util::log_format_names;
}
constexpr std::span<const util::Named<virt::StatsGroup>> names(virt::StatsGroup) noexcept
{
    return virt::stats_group_names;
}
constexpr std::span<const util::Named<Measurement>> names(Measurement) noexcept
{
    return measurement_names;
}

// The name of `value` in its table ("v2", "ms", "RequireAndVerifyClientCert", "warn", "cpu_total").
template <class E>
constexpr std::string_view name_of(E value) noexcept
{
    return util::name_of(names(E{}), value);
}

}  // namespace config
