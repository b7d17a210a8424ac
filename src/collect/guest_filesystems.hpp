// The guest agent's filesystems (virDomainGetGuestInfo with VIR_DOMAIN_GUEST_INFO_FILESYSTEMS) from the
// typed parameters libvirt names them by: fs.count, fs.N.mountpoint, .name, .fstype, .total-bytes,
// .used-bytes, .disk.count, .disk.M.alias, .serial, .device.
//
// Untrusted input: the values come from a program inside the guest (qemu-ga), relayed by libvirt. The
// parser never throws but std::bad_alloc: counts are bounded (a negative, missing or huge fs.count or
// disk.count never allocates more than the bounds below), strings are cut to max_guest_text bytes and
// made valid UTF-8, a filesystem without a mountpoint is left out, and so is a second one with a
// mountpoint already seen (it would repeat a series). Pure: any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "virt/domain_source.hpp"

namespace collect {

inline constexpr std::size_t max_guest_filesystems = 256;
inline constexpr std::size_t max_guest_disks = 16;   // per filesystem
inline constexpr std::size_t max_guest_text = 1024;  // bytes of one string value

// One disk a filesystem lives on, as the agent and libvirt matched it.
struct GuestDisk {
    std::string alias;   // fs.N.disk.M.alias: the domain's target device ("vda"); empty when unmatched
    std::string serial;  // fs.N.disk.M.serial
    std::string device;  // fs.N.disk.M.device: the guest's device node ("/dev/vda1")
    bool operator==(const GuestDisk&) const = default;
};

struct GuestFilesystem {
    std::string mountpoint;                   // fs.N.mountpoint
    std::string name;                         // fs.N.name: the guest's device name ("vda1")
    std::string fstype;                       // fs.N.fstype
    std::optional<std::uint64_t> size_bytes;  // fs.N.total-bytes (agents before QEMU 3.0 lack it)
    std::optional<std::uint64_t> used_bytes;  // fs.N.used-bytes
    std::vector<GuestDisk> disks;
    bool operator==(const GuestFilesystem&) const = default;

    // The disks' aliases joined by "," (several for a volume over more disks): the `disk` label.
    std::string disk_aliases() const;
};

// In fs.N order.
std::vector<GuestFilesystem> parse_guest_filesystems(const std::vector<virt::TypedParam>& params);

}  // namespace collect
