// Balloon / memory statistics: libvirt_domain_memory_stats_* (inovex names). inovex exports swap
// in/out as gauges named *_bytes although they only grow; here they are counters named
// *_bytes_total (listed in the README's compatibility table).
#include "prom/families.hpp"
#include "prom/family_builder.hpp"

namespace prom {

void add_memory_families(const Scrape& scrape, Families& out)
{
    if (!scrape.snapshot) return;
    using prometheus::MetricType;
    const std::string p = "libvirt_domain_memory_stats_";
    FamilyBuilder actual(out, p + "actual_balloon_bytes", "Current balloon value, in bytes.", MetricType::Gauge);
    FamilyBuilder rss(out, p + "rss_bytes", "Resident set size of the process running the domain, in bytes.",
                      MetricType::Gauge);
    FamilyBuilder available(out, p + "available_bytes", "Memory available to the domain, in bytes.", MetricType::Gauge);
    FamilyBuilder usable(out, p + "usable_bytes",
                         "Memory usable by the domain (corresponds to 'Available' in /proc/meminfo), in bytes.",
                         MetricType::Gauge);
    FamilyBuilder unused(out, p + "unused_bytes", "Memory unused by the domain, in bytes.", MetricType::Gauge);
    FamilyBuilder caches(out, p + "disk_caches_bytes", "Memory the guest can reclaim quickly (disk caches), in bytes.",
                         MetricType::Gauge);
    FamilyBuilder used(out, p + "used_percent", "Memory used by the domain, in percent of available memory.",
                       MetricType::Gauge);
    FamilyBuilder swap_in(out, p + "swap_in_bytes_total", "Data read from swap space by the guest, in bytes.",
                          MetricType::Counter);
    FamilyBuilder swap_out(out, p + "swap_out_bytes_total", "Memory written out to swap space by the guest, in bytes.",
                           MetricType::Counter);
    FamilyBuilder major(out, p + "major_fault_total", "Page faults that required disk I/O in the guest.",
                        MetricType::Counter);
    FamilyBuilder minor(out, p + "minor_fault_total", "Page faults served without disk I/O in the guest.",
                        MetricType::Counter);
    FamilyBuilder hugetlb_alloc(out, p + "hugetlb_pgalloc_total", "Successful huge page allocations in the guest.",
                                MetricType::Counter);
    FamilyBuilder hugetlb_fail(out, p + "hugetlb_pgfail_total", "Failed huge page allocations in the guest.",
                               MetricType::Counter);
    FamilyBuilder updated(out, p + "last_update_timestamp_seconds",
                          "When the guest last updated its memory statistics, as a Unix timestamp.", MetricType::Gauge);

    for (const auto& d : scrape.snapshot->domains) {
        const Labels labels = domain_labels(d.name, d.uuid);
        const auto& b = d.balloon;
        actual.add(labels, b.current, kib);
        rss.add(labels, b.rss, kib);
        available.add(labels, b.available, kib);
        usable.add(labels, b.usable, kib);
        unused.add(labels, b.unused, kib);
        caches.add(labels, b.disk_caches, kib);
        if (b.available && b.usable && *b.available > 0 && *b.usable <= *b.available)
            used.add(labels, 100.0 * static_cast<double>(*b.available - *b.usable) / static_cast<double>(*b.available));
        swap_in.add(labels, b.swap_in, kib);
        swap_out.add(labels, b.swap_out, kib);
        major.add(labels, b.major_fault);
        minor.add(labels, b.minor_fault);
        hugetlb_alloc.add(labels, b.hugetlb_pgalloc);
        hugetlb_fail.add(labels, b.hugetlb_pgfail);
        updated.add(labels, b.last_update);
    }
}

}  // namespace prom
