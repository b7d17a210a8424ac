// Conversion of libvirt's typed parameters and per-domain API structs into virt::TypedParam, with the
// field names of virConnectGetAllDomainStats, so one parser handles the bulk and per-domain paths.
// Private to src/virt. Pure functions: no libvirt calls, nothing here throws except std::bad_alloc.
#pragma once

#include <libvirt/libvirt.h>

#include <string_view>
#include <vector>

#include "virt/domain_source.hpp"

namespace virt::detail {

// INT/LLONG → int64, UINT/ULLONG → uint64, DOUBLE, BOOLEAN, STRING into `out`; false (and `out`
// untouched) for an unknown type: a newer daemon may add one, and it is skipped, not an error.
bool typed_value(const virTypedParameter& param, TypedValue& out);

// Every parameter with a known type, named "<prefix><field>".
std::vector<TypedParam> convert_typed_params(const virTypedParameter* params, int count, std::string_view prefix = {});

// virDomainBlockStatsFlags names → bulk names relative to the disk ("rd_operations" → "rd.reqs");
// empty for a name the bulk call has no equivalent for.
std::string_view block_stats_field(std::string_view libvirt_name) noexcept;

// virDomainMemoryStats tag → bulk name ("balloon.rss", ...); empty for an unknown tag.
std::string_view memory_stat_field(int tag) noexcept;

// virDomainInterfaceStats → rx.bytes ... tx.drop (uint64; the -1 "not supported" values left out).
std::vector<TypedParam> interface_stats_params(const virDomainInterfaceStatsStruct& stats);

// virDomainBlockStats (the old call without flags) → rd.reqs, rd.bytes, wr.reqs, wr.bytes, errors.
std::vector<TypedParam> block_stats_params(const virDomainBlockStatsStruct& stats);

}  // namespace virt::detail
