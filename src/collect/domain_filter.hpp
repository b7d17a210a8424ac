// Which domains a collection keeps: libvirt.domains.include / .exclude (regular expressions on the name
// or the UUID) and libvirt.inactive. A filtering collection lists the domains, keeps what this lets
// through and asks libvirt for the statistics of those alone, so a filtered domain costs no call
// beyond the listing, in both sinks and /api/vms alike.
//
// Immutable once built (by the app, from the configuration's compiled patterns); keeps() is safe from
// any thread and throws nothing.
#pragma once

#include <memory>
#include <regex>
#include <vector>

#include "virt/domain_source.hpp"

namespace collect {

struct DomainFilter {
    std::vector<std::shared_ptr<const std::regex>> include;  // empty: every domain
    std::vector<std::shared_ptr<const std::regex>> exclude;
    bool inactive = true;  // false: shut-off and defined domains are left out

    // Anything to filter: a collection then lists first instead of one bulk call for every domain.
    bool filters() const noexcept { return !include.empty() || !exclude.empty() || !inactive; }

    // Kept: running (or `inactive`), its name or UUID matched whole by an include pattern (when there is
    // one) and by no exclude pattern. A match std::regex refuses with an exception counts as no match: an
    // include then drops the domain, an exclude keeps it; so does a name longer than 4096 bytes, which
    // std::regex's recursion could not match on a thread's stack. (The patterns are the operator's: one that
    // backtracks exponentially costs that time on every collection, as it would anywhere.)
    bool keeps(const virt::DomainRef& domain) const noexcept;
};

}  // namespace collect
