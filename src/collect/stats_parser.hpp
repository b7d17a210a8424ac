// Pure conversion of one libvirt stats record (bulk call or per-domain fill-in, same field names)
// into a DomainSample. No I/O, no libvirt, no shared state: safe from any thread.
//
// Rules: a field that is absent, negative where a counter is expected, or of a type that cannot hold
// the value leaves the member empty (never 0). Devices without a name are dropped and counted in
// skipped_devices; duplicate device names are made unique with a "#<libvirt index>" suffix, so the
// sinks never see two series with the same labels. Backing-chain layers (a repeated disk name with a
// backingIndex; QEMU reports a backingIndex for the top image as well) are ignored.
// Throws only std::bad_alloc.
#pragma once

#include "collect/domain_sample.hpp"
#include "virt/domain_source.hpp"

namespace collect {

DomainSample parse_stats_record(const virt::DomainStatsRecord& record);

// True when `record` holds at least one field of the stats group (a virt::StatsGroup bit).
bool record_has_group(const virt::DomainStatsRecord& record, unsigned group) noexcept;

}  // namespace collect
