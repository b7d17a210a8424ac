// The bulk stats call: the single virConnectGetAllDomainStats of libvirt.parallel 1 (all_stats), and
// the pieces the split collection (libvirt.parallel > 1, split_stats.hpp) shares with it: NOWAIT with its
// per-connection fallback, and turning libvirt's record list into DomainStatsRecords. Private to
// src/virt.
//
// Thread-safety: any thread; libvirt's last error is per thread, so a StatsCall must run on the thread
// that calls call_stats(). Throws virt::Error naming the call.
#pragma once

#include <libvirt/libvirt.h>

#include <functional>
#include <string>
#include <vector>

#include "virt/domain_source.hpp"
#include "virt/handles.hpp"
#include "virt/live_connection.hpp"

namespace virt::detail {

// One stats call (virConnectGetAllDomainStats or virDomainListGetStats) with `flags`; returns what
// libvirt returns (the record count, or -1) and hands the list to `out`.
using StatsCall = std::function<int(unsigned flags, StatsRecordList& out)>;

// Runs `call` with VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT when `nowait` is wanted and `quirks` does
// not say the daemon refused it. If the daemon refuses the flag and the call works without it, that is
// remembered in `quirks` (one log line) and the rest of the connection goes without. Returns the
// record count (>= 0); throws virt::Error named after `call_name` on failure.
int call_stats(bool nowait, DriverQuirks& quirks, const char* call_name, const StatsCall& call, StatsRecordList& out);

// Name, UUID and id of a handle, without a round trip (libvirt keeps them in the handle).
DomainRef domain_ref(virDomainPtr dom);
std::string uuid_of(virDomainPtr dom);

// Appends the first `n` records of `list` as DomainStatsRecords, in order.
void append_records(const StatsRecordList& list, int n, std::vector<DomainStatsRecord>& out);

// The collection of libvirt.parallel 1: one virConnectGetAllDomainStats for every domain on `live`
// (through call_stats), whose domain handles `live` keeps for the per-domain calls that follow.
std::vector<DomainStatsRecord> all_stats(LiveConnection& live, unsigned groups, bool nowait);

}  // namespace virt::detail
