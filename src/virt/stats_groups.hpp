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
    // Pseudo groups, above libvirt's bits: the bulk call has no such group, the sampler makes per-domain
    // calls for them (collect/placement_calls.hpp). Never passed to libvirt (libvirt_stats_groups_mask).
    stats_vcpu_placement = 1u << 24,  // virDomainGetVcpus with cpumaps: host CPU and pinning per vCPU
    stats_block_iotune = 1u << 25,    // virDomainGetBlockIoTune per disk: I/O limits
};
// The groups libvirt's bulk calls know; every call that passes groups to libvirt masks with it.
inline constexpr unsigned libvirt_stats_groups_mask = (1u << 11) - 1;
inline constexpr unsigned pseudo_stats_groups = stats_vcpu_placement | stats_block_iotune;
static_assert((libvirt_stats_groups_mask & pseudo_stats_groups) == 0 && (stats_vm & libvirt_stats_groups_mask) != 0,
              "pseudo stats groups must lie outside libvirt's VIR_DOMAIN_STATS_* bits");
// What the bulk call is asked for when `groups` are configured.
constexpr unsigned libvirt_stats_groups(unsigned groups) noexcept
{
    return groups & libvirt_stats_groups_mask;
}
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
    {stats_vcpu_placement, "vcpu_placement"},
    {stats_block_iotune, "block_iotune"},
};

}  // namespace virt
