// Listing domains and asking for the statistics of a chosen few: virConnectListAllDomains and
// virDomainListGetStats, the two halves of a collection that filters domains (the sampler lists, keeps
// what libvirt.domains lets through and asks only for those) and of the split collection
// (split_stats.hpp). Private to src/virt.
//
// Thread-safety: any thread (libvirt's last error is per thread). Throws virt::Error naming the call.
#pragma once

#include <libvirt/libvirt.h>

#include <string>
#include <vector>

#include "virt/domain_source.hpp"
#include "virt/handles.hpp"
#include "virt/live_connection.hpp"

namespace virt::detail {

// One virConnectListAllDomains: the handles (owned here, freed with the listing), and each one's
// DomainRef in the same order. The handles are also given to `live` (remember_domains) for the calls
// that follow.
struct Listing {
    DomainList list;
    std::vector<virDomainPtr> doms;  // list's handles, without the terminating NULL
    std::vector<DomainRef> refs;
};

// Every domain, running or not: a filter that leaves out the inactive ones (collect::DomainFilter) counts
// them, so it needs them listed.
Listing list_domains(LiveConnection& live);

// One virDomainListGetStats for `doms` (all of one connection, none NULL), through call_stats (NOWAIT
// with its fallback); the records in libvirt's order.
std::vector<DomainStatsRecord> list_stats(std::vector<virDomainPtr> doms, unsigned groups, bool nowait,
                                          DriverQuirks& quirks);

}  // namespace virt::detail
