#include "collect/nowait_skip.hpp"

#include <algorithm>

namespace collect {
namespace {

// A disk QEMU keeps I/O counters for: a real disk with media (an empty CD-ROM has a target and no
// counters, with the job or without).
bool has_counters_in_qemu(const DiskSample& disk, const DomainDevices& devices)
{
    return std::any_of(devices.disks.begin(), devices.disks.end(), [&](const DiskInfo& info) {
        return info.target == disk.name && info.device == "disk" && !info.source.empty();
    });
}

}  // namespace

bool monitor_stats_skipped(const DomainSample& sample, const DomainDevices* devices, unsigned requested) noexcept
{
    // Only QEMU's driver has a monitor whose job NOWAIT declines to wait for; other drivers (the test
    // driver, LXC) never report RSS or disk counters in the bulk record, and an inactive domain has no
    // monitor at all.
    if (!devices || (devices->domain_type != "kvm" && devices->domain_type != "qemu") || sample.id < 0) return false;
    // With the job, libvirt appends balloon.rss (read from /proc) to the monitor's balloon answer, also
    // for a guest without a balloon driver; without it, it writes only balloon.current and .maximum.
    if (requested & virt::stats_balloon) return sample.balloon.current && !sample.balloon.rss;
    if (requested & virt::stats_block)
        return std::any_of(sample.disks.begin(), sample.disks.end(), [&](const DiskSample& d) {
            return has_counters_in_qemu(d, *devices) && !d.rd_reqs && !d.wr_reqs;
        });
    return false;
}

}  // namespace collect
