// Test support: a fixed GuestAgentSnapshot for the guest families and the vm_devices devtype=fs lines —
// one-42 (sample_snapshot's first domain) whose agent answered 12.5 s ago with / and a hostile
// mountpoint, and a domain whose agent never answered.
#pragma once

#include "collect/guest_agent_sample.hpp"

namespace test_support {

inline collect::GuestAgentSnapshot sample_guests()
{
    collect::GuestAgentSnapshot snap;
    snap.enabled = true;
    collect::GuestAgentSample answered;
    answered.name = "one-42";
    answered.uuid = "11111111-2222-3333-4444-555555555555";
    answered.up = true;
    answered.age_seconds = 12.5;
    collect::GuestFilesystem root;
    root.mountpoint = "/";
    root.name = "vda1";
    root.fstype = "ext4";
    root.size_bytes = 10'000'000'000;
    root.used_bytes = 4'000'000'000;
    root.disks = {{"vda", "", "/dev/vda1"}};
    collect::GuestFilesystem odd;
    odd.mountpoint = "/mnt/a \"b\",c=d";
    odd.fstype = "xfs";
    odd.size_bytes = 2048;  // no used-bytes from this agent
    answered.filesystems = {root, odd};
    collect::GuestAgentSample silent;
    silent.name = "no-agent";
    silent.uuid = "99999999-9999-9999-9999-999999999999";
    snap.domains = {answered, silent};
    return snap;
}

}  // namespace test_support
