// What libvirt left out of a bulk stats record under VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT: for a
// domain whose job is held (a migration, a dump, a QEMU that stopped answering its monitor) the
// monitor-bound values are skipped instead of waited for, and the record says so only by their absence.
// Pure; safe from any thread; throws nothing.
#pragma once

#include "collect/domain_devices.hpp"
#include "collect/domain_sample.hpp"

namespace collect {

// True when `sample` (parsed from the bulk record, before any fill-in) lacks its monitor-bound values:
// a running QEMU domain whose record has the balloon group's definition values (current, maximum) but
// not the RSS that libvirt adds to every monitor answer; or, without the balloon group, a disk with a
// source but none of the I/O counters of QEMU's query-blockstats. `devices` may be null (then false:
// the domain type is unknown). `requested`: the virt::StatsGroup bits the collection asked for.
bool monitor_stats_skipped(const DomainSample& sample, const DomainDevices* devices, unsigned requested) noexcept;

}  // namespace collect
