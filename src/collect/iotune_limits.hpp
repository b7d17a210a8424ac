// A disk's I/O limits from virDomainGetBlockIoTune (stats group block_iotune): the one table of
// libvirt's key names, indexed by IoTuneLimit, and the parser of the call's answer. The sinks name the
// values (prom/iotune_families.cpp, influx/measurements.cpp) by IoTuneLimit.
// Pure: safe from any thread; the parser throws only std::bad_alloc.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "util/names.hpp"
#include "virt/domain_source.hpp"

namespace collect {

enum class IoTuneLimit : unsigned {
    total_bytes_sec,  // bytes/s
    read_bytes_sec,
    write_bytes_sec,
    total_iops_sec,  // requests/s
    read_iops_sec,
    write_iops_sec,
    total_bytes_sec_max,  // burst, bytes/s
    read_bytes_sec_max,
    write_bytes_sec_max,
    total_iops_sec_max,  // burst, requests/s
    read_iops_sec_max,
    write_iops_sec_max,
    total_bytes_sec_max_length,  // how long a burst may last, s
    read_bytes_sec_max_length,
    write_bytes_sec_max_length,
    total_iops_sec_max_length,
    read_iops_sec_max_length,
    write_iops_sec_max_length,
    size_iops_sec,  // bytes: the size one request counts for in the IOPS limits
};

// libvirt's VIR_DOMAIN_BLOCK_IOTUNE_* key strings, spelled out (collect does not include libvirt); row i
// is the enumerator of value i.
inline constexpr util::Named<IoTuneLimit> iotune_limit_names[] = {
    {IoTuneLimit::total_bytes_sec, "total_bytes_sec"},
    {IoTuneLimit::read_bytes_sec, "read_bytes_sec"},
    {IoTuneLimit::write_bytes_sec, "write_bytes_sec"},
    {IoTuneLimit::total_iops_sec, "total_iops_sec"},
    {IoTuneLimit::read_iops_sec, "read_iops_sec"},
    {IoTuneLimit::write_iops_sec, "write_iops_sec"},
    {IoTuneLimit::total_bytes_sec_max, "total_bytes_sec_max"},
    {IoTuneLimit::read_bytes_sec_max, "read_bytes_sec_max"},
    {IoTuneLimit::write_bytes_sec_max, "write_bytes_sec_max"},
    {IoTuneLimit::total_iops_sec_max, "total_iops_sec_max"},
    {IoTuneLimit::read_iops_sec_max, "read_iops_sec_max"},
    {IoTuneLimit::write_iops_sec_max, "write_iops_sec_max"},
    {IoTuneLimit::total_bytes_sec_max_length, "total_bytes_sec_max_length"},
    {IoTuneLimit::read_bytes_sec_max_length, "read_bytes_sec_max_length"},
    {IoTuneLimit::write_bytes_sec_max_length, "write_bytes_sec_max_length"},
    {IoTuneLimit::total_iops_sec_max_length, "total_iops_sec_max_length"},
    {IoTuneLimit::read_iops_sec_max_length, "read_iops_sec_max_length"},
    {IoTuneLimit::write_iops_sec_max_length, "write_iops_sec_max_length"},
    {IoTuneLimit::size_iops_sec, "size_iops_sec"},
};
inline constexpr std::size_t iotune_limit_count = std::size(iotune_limit_names);
static_assert(util::rows_in_enum_order<IoTuneLimit>(iotune_limit_names),
              "iotune_limit_names: one row per IoTuneLimit, in enum order");

// A disk's limits, indexed by IoTuneLimit; empty: not set (0) or not reported.
using IoTuneLimits = std::array<std::optional<std::uint64_t>, iotune_limit_count>;

inline const std::optional<std::uint64_t>& limit(const IoTuneLimits& limits, IoTuneLimit which)
{
    return limits[static_cast<std::size_t>(which)];
}

// The known keys of virDomainGetBlockIoTune's answer that are set: an unsigned value (ULLONG, as libvirt
// sends them) or a positive signed one; 0 means "no limit" and is left out, as are other types, unknown
// keys (group_name) and a key's second occurrence.
IoTuneLimits parse_block_iotune(const std::vector<virt::TypedParam>& params);

}  // namespace collect
