// The split collection behind libvirt.parallel > 1: the domains listed once on the main connection
// (domain_listing.hpp; all of them, or those a filter kept) cut into contiguous shares, and run one
// virDomainListGetStats per share at the same time, share 0 on the main connection (calling thread) and share i on
// helper connection i (its own thread). The records are merged in listing order, shaped as the single bulk call's, so
// nothing downstream changes. libvirtd serves each connection's RPC on its own worker and each QEMU guest answers on
// its own monitor, so the shares overlap instead of queueing behind one another.
//
// Private to src/virt. Threads: the helper threads live only inside split_stats() and catch
// everything; their errors come back as values. A helper that fails (cannot connect, lost, any libvirt
// error) is dropped and its share collected again on the main connection, so a split collection fails
// only where the single bulk call would. Throws virt::Error (the main connection's failures).
#pragma once

#include <libvirt/libvirt.h>

#include <string>
#include <vector>

#include "util/log.hpp"
#include "virt/domain_source.hpp"
#include "virt/live_connection.hpp"

namespace virt::detail {

// One collection of `doms` (handles on live's main connection) with their `uuids` (same order, how the
// helpers find them) over live's main connection and its helpers (live.helpers()). `nowait`: as the bulk
// call (see call_stats). `log_once` keys one line per failing helper.
std::vector<DomainStatsRecord> split_stats(LiveConnection& live, const std::vector<virDomainPtr>& doms,
                                           const std::vector<std::string>& uuids, unsigned groups, bool nowait,
                                           util::LogOnce& log_once);

}  // namespace virt::detail
