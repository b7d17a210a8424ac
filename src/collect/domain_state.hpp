// The names of libvirt's domain states (virDomainState), in one table for every place that shows one:
// /api/vms and the landing page use virsh's words, /metrics the state_desc texts of inovex's exporter
// (so existing dashboards and alerts keep matching), and the Grafana dashboards their own short labels.
// contrib/grafana/generate.py reads the rows below, so keep each on one line, in code order.
// Pure; header-only; nothing here throws.
#pragma once

#include <array>

namespace collect {

struct DomainStateNames {
    const char* virsh;        // virsh domstate
    const char* description;  // libvirt_domain_info_state{state_desc}
    const char* dashboard;    // the value mappings of contrib/grafana's dashboards
};

// Indexed by the virDomainState code.
inline constexpr std::array<DomainStateNames, 8> domain_state_names{{
    {"no state", "no state", "no state"},
    {"running", "the domain is running", "running"},
    {"blocked", "the domain is blocked on resource", "blocked"},
    {"paused", "the domain is paused by user", "paused"},
    {"shutdown", "the domain is being shut down", "shutting down"},
    {"shut off", "the domain is shut off", "shut off"},
    {"crashed", "the domain is crashed", "crashed"},
    {"pmsuspended", "the domain is suspended by guest power management", "suspended (PM)"},
}};

// The names of `state`; "unknown" in every column for a code outside the table (a newer libvirt's).
constexpr DomainStateNames domain_state(int state) noexcept
{
    if (state < 0 || state >= static_cast<int>(domain_state_names.size())) return {"unknown", "unknown", "unknown"};
    return domain_state_names[static_cast<std::size_t>(state)];
}

}  // namespace collect
