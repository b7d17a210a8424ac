// What the guest families (libvirt_domain_guest_*) and the push's vm_devices lines with devtype=fs are
// written from: each running domain's last answer from its guest agent, as collect::GuestAgentCollector
// keeps it. Plain values; copied out of the collector under its lock, then read by any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "collect/guest_filesystems.hpp"

namespace collect {

struct GuestAgentSample {
    std::string name;
    std::string uuid;
    bool up = false;  // the last call for this domain answered (false: it failed, or none answered yet)
    // Seconds since the answer `filesystems` come from; empty while none ever came.
    std::optional<double> age_seconds;
    std::vector<GuestFilesystem> filesystems;  // from the last answer (kept while later calls fail)
};

struct GuestAgentSnapshot {
    bool enabled = false;                   // libvirt.guest_agent.enabled; false: no guest family is written
    std::vector<GuestAgentSample> domains;  // running domains asked at least once, by name
};

}  // namespace collect
