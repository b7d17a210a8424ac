// Per-disk counters and the disk info metric: libvirt_domain_block_stats_* (inovex names), plus
// errors, allocation and physical size, which inovex does not export.
#include "prom/families.hpp"
#include "prom/family_builder.hpp"

namespace prom {

void add_block_families(const Scrape& scrape, Families& out)
{
    if (!scrape.snapshot) return;
    using prometheus::MetricType;
    const std::string p = "libvirt_domain_block_stats_";
    FamilyBuilder info(out, p + "info", "Metadata information on block devices.", MetricType::Gauge);
    FamilyBuilder rd_bytes(out, p + "read_bytes_total", "Number of bytes read from a block device.",
                           MetricType::Counter);
    FamilyBuilder rd_reqs(out, p + "read_requests_total", "Number of read requests from a block device.",
                          MetricType::Counter);
    FamilyBuilder rd_time(out, p + "read_time_seconds_total", "Total time spent on reads from a block device.",
                          MetricType::Counter);
    FamilyBuilder wr_bytes(out, p + "write_bytes_total", "Number of bytes written to a block device.",
                           MetricType::Counter);
    FamilyBuilder wr_reqs(out, p + "write_requests_total", "Number of write requests to a block device.",
                          MetricType::Counter);
    FamilyBuilder wr_time(out, p + "write_time_seconds_total", "Total time spent on writes to a block device.",
                          MetricType::Counter);
    FamilyBuilder fl_reqs(out, p + "flush_requests_total", "Total flush requests to a block device.",
                          MetricType::Counter);
    FamilyBuilder fl_time(out, p + "flush_time_seconds_total", "Total time spent on cache flushes to a block device.",
                          MetricType::Counter);
    FamilyBuilder errors(out, p + "errors_total", "Number of I/O errors on a block device (Xen only).",
                         MetricType::Counter);
    FamilyBuilder capacity(out, p + "capacity_bytes", "Logical size of the block device backing image.",
                           MetricType::Gauge);
    FamilyBuilder allocation(out, p + "allocation_bytes", "Highest allocated extent of the block device backing image.",
                             MetricType::Gauge);
    FamilyBuilder physical(out, p + "physical_bytes", "Physical size of the block device backing image's container.",
                           MetricType::Gauge);

    for (const auto& d : scrape.snapshot->domains) {
        for (const auto& b : d.disks) {
            const Labels labels = domain_labels(d.name, d.uuid, {{"target_device", b.name}});
            if (const collect::DiskInfo* i = b.info) {
                info.add(domain_labels(d.name, d.uuid,
                                       {{"disk_type", i->type},
                                        {"disk_device", i->device},
                                        {"target_bus", i->bus},
                                        {"driver_type", i->driver_type},
                                        {"driver_cache", i->driver_cache},
                                        {"source_file", i->source},
                                        {"source_protocol", i->source_protocol},
                                        {"target_device", b.name},
                                        {"serial", i->serial}}),
                         1);
            }
            rd_bytes.add(labels, b.rd_bytes);
            rd_reqs.add(labels, b.rd_reqs);
            rd_time.add(labels, b.rd_times, ns);
            wr_bytes.add(labels, b.wr_bytes);
            wr_reqs.add(labels, b.wr_reqs);
            wr_time.add(labels, b.wr_times, ns);
            fl_reqs.add(labels, b.fl_reqs);
            fl_time.add(labels, b.fl_times, ns);
            errors.add(labels, b.errors);
            capacity.add(labels, b.capacity);
            allocation.add(labels, b.allocation);
            physical.add(labels, b.physical);
        }
    }
}

}  // namespace prom
