// Per-disk counters and the disk info metric: libvirt_domain_block_stats_* (inovex names), plus
// errors, allocation and physical size, which inovex does not export.
#include "prom/families.hpp"

namespace prom {
namespace {

using collect::DiskSample;

struct DiskFamily {
    Family family;
    collect::OptU64 DiskSample::*field;
    Unit unit;  // Unit::one: a count or bytes, written as an exact integer
};

constexpr DiskFamily families[] = {
    {{"libvirt_domain_block_stats_read_bytes_total", "Number of bytes read from a block device.", Type::counter},
     &DiskSample::rd_bytes,
     Unit::one},
    {{"libvirt_domain_block_stats_read_requests_total", "Number of read requests from a block device.", Type::counter},
     &DiskSample::rd_reqs,
     Unit::one},
    {{"libvirt_domain_block_stats_read_time_seconds_total", "Total time spent on reads from a block device.",
      Type::counter},
     &DiskSample::rd_times,
     Unit::ns},
    {{"libvirt_domain_block_stats_write_bytes_total", "Number of bytes written to a block device.", Type::counter},
     &DiskSample::wr_bytes,
     Unit::one},
    {{"libvirt_domain_block_stats_write_requests_total", "Number of write requests to a block device.", Type::counter},
     &DiskSample::wr_reqs,
     Unit::one},
    {{"libvirt_domain_block_stats_write_time_seconds_total", "Total time spent on writes to a block device.",
      Type::counter},
     &DiskSample::wr_times,
     Unit::ns},
    {{"libvirt_domain_block_stats_flush_requests_total", "Total flush requests to a block device.", Type::counter},
     &DiskSample::fl_reqs,
     Unit::one},
    {{"libvirt_domain_block_stats_flush_time_seconds_total", "Total time spent on cache flushes to a block device.",
      Type::counter},
     &DiskSample::fl_times,
     Unit::ns},
    {{"libvirt_domain_block_stats_errors_total", "Number of I/O errors on a block device (Xen only).", Type::counter},
     &DiskSample::errors,
     Unit::one},
    {{"libvirt_domain_block_stats_capacity_bytes", "Logical size of the block device backing image.", Type::gauge},
     &DiskSample::capacity,
     Unit::one},
    {{"libvirt_domain_block_stats_allocation_bytes", "Highest allocated extent of the block device backing image.",
      Type::gauge},
     &DiskSample::allocation,
     Unit::one},
    {{"libvirt_domain_block_stats_physical_bytes", "Physical size of the block device backing image's container.",
      Type::gauge},
     &DiskSample::physical,
     Unit::one},
};

}  // namespace

void write_block_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out)
{
    if (!scrape.snapshot) return;
    each_device_info(
        out, labels, {"libvirt_domain_block_stats_info", "Metadata information on block devices.", Type::gauge},
        &collect::DomainSample::disks, [](const DiskSample& b, const collect::DiskInfo& i, std::string& set) {
            append_label(set, "disk_type", i.type);
            append_label(set, "disk_device", i.device);
            append_label(set, "target_bus", i.bus);
            append_label(set, "driver_name", i.driver_name);
            append_label(set, "driver_type", i.driver_type);
            append_label(set, "driver_cache", i.driver_cache);
            append_label(set, "driver_discard", i.driver_discard);
            append_label(set, "source_file", i.source);
            append_label(set, "source_protocol", i.source_protocol);
            append_label(set, "target_device", b.name);
            append_label(set, "serial", i.serial);
        });
    for (const DiskFamily& f : families) {
        if (f.unit == Unit::one)
            each_disk(out, labels, f.family, [&](const DiskSample& b) { return b.*f.field; });
        else
            each_disk(out, labels, f.family, [&](const DiskSample& b) { return to_base(b.*f.field, f.unit); });
    }
}

}  // namespace prom
