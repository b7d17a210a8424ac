// The stats groups of libvirt's bulk stats call, and their one table of names ("state", "cpu_total",
// ...): libvirt.stats_groups in the config file, the `group` label of the exporter's own metrics, the
// JSON API and the landing page all use it.
//
// Header-only constants (no libvirt, nothing to link), so that config can parse the names without
// depending on the libvirt seam. Pure; nothing here throws.
#pragma once

#include "util/names.hpp"

namespace virt {

// Bit values equal libvirt's VIR_DOMAIN_STATS_* so the implementation passes them straight through.
enum StatsGroup : unsigned {
    stats_state = 1u << 0,
    stats_cpu_total = 1u << 1,
    stats_balloon = 1u << 2,
    stats_vcpu = 1u << 3,
    stats_interface = 1u << 4,
    stats_block = 1u << 5,
    stats_perf = 1u << 6,
    stats_iothread = 1u << 7,
    stats_memory = 1u << 8,
    stats_dirtyrate = 1u << 9,
    stats_vm = 1u << 10,
};
inline constexpr unsigned default_stats_groups =
    stats_state | stats_cpu_total | stats_balloon | stats_vcpu | stats_interface | stats_block;

// In bit order: stats_groups_in() and the config's rendering list groups in this order.
inline constexpr util::Named<StatsGroup> stats_group_names[] = {
    {stats_state, "state"},
    {stats_cpu_total, "cpu_total"},
    {stats_balloon, "balloon"},
    {stats_vcpu, "vcpu"},
    {stats_interface, "interface"},
    {stats_block, "block"},
    {stats_perf, "perf"},
    {stats_iothread, "iothread"},
    {stats_memory, "memory"},
    {stats_dirtyrate, "dirtyrate"},
    {stats_vm, "vm"},
};

}  // namespace virt
