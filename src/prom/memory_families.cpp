// Balloon / memory statistics: libvirt_domain_memory_stats_* (inovex v2 names). inovex exports swap
// in/out as gauges named *_bytes although they only grow; they are here under those names, for its
// dashboards, and as the counters they are (*_bytes_total), for rate() without counter-reset guesses.
// actual_balloon_bytes is this exporter's older name of current_balloon_bytes, kept for its users.
#include <span>

#include "prom/families.hpp"

namespace prom {
namespace {

using collect::BalloonStats;
using collect::OptU64;

struct BalloonFamily {
    Family family;
    OptU64 BalloonStats::*field;
    Unit unit;  // Unit::one: a count, written as an exact integer
};

// In exposition order; used_percent, computed from two fields, goes between the two parts.
constexpr BalloonFamily sizes[] = {
    {{"libvirt_domain_memory_stats_current_balloon_bytes", "Current balloon value, in bytes.", Type::gauge},
     &BalloonStats::current,
     Unit::kib},
    {{"libvirt_domain_memory_stats_actual_balloon_bytes",
      "Current balloon value, in bytes (the same as libvirt_domain_memory_stats_current_balloon_bytes).", Type::gauge},
     &BalloonStats::current,
     Unit::kib},
    {{"libvirt_domain_memory_stats_maximum_bytes", "Maximum memory the balloon may give the domain, in bytes.",
      Type::gauge},
     &BalloonStats::maximum,
     Unit::kib},
    {{"libvirt_domain_memory_stats_rss_bytes", "Resident set size of the process running the domain, in bytes.",
      Type::gauge},
     &BalloonStats::rss,
     Unit::kib},
    {{"libvirt_domain_memory_stats_available_bytes", "Memory available to the domain, in bytes.", Type::gauge},
     &BalloonStats::available,
     Unit::kib},
    {{"libvirt_domain_memory_stats_usable_bytes",
      "Memory usable by the domain (corresponds to 'Available' in /proc/meminfo), in bytes.", Type::gauge},
     &BalloonStats::usable,
     Unit::kib},
    {{"libvirt_domain_memory_stats_unused_bytes", "Memory unused by the domain, in bytes.", Type::gauge},
     &BalloonStats::unused,
     Unit::kib},
    {{"libvirt_domain_memory_stats_disk_caches_bytes", "Memory the guest can reclaim quickly (disk caches), in bytes.",
      Type::gauge},
     &BalloonStats::disk_caches,
     Unit::kib},
    {{"libvirt_domain_memory_stats_swap_in_bytes",
      "Data read from swap space by the guest, in bytes (inovex's gauge; the counter is "
      "libvirt_domain_memory_stats_swap_in_bytes_total).",
      Type::gauge},
     &BalloonStats::swap_in,
     Unit::kib},
    {{"libvirt_domain_memory_stats_swap_out_bytes",
      "Memory written out to swap space by the guest, in bytes (inovex's gauge; the counter is "
      "libvirt_domain_memory_stats_swap_out_bytes_total).",
      Type::gauge},
     &BalloonStats::swap_out,
     Unit::kib},
};
constexpr BalloonFamily counters[] = {
    {{"libvirt_domain_memory_stats_swap_in_bytes_total", "Data read from swap space by the guest, in bytes.",
      Type::counter},
     &BalloonStats::swap_in,
     Unit::kib},
    {{"libvirt_domain_memory_stats_swap_out_bytes_total", "Memory written out to swap space by the guest, in bytes.",
      Type::counter},
     &BalloonStats::swap_out,
     Unit::kib},
    {{"libvirt_domain_memory_stats_major_fault_total", "Page faults that required disk I/O in the guest.",
      Type::counter},
     &BalloonStats::major_fault,
     Unit::one},
    {{"libvirt_domain_memory_stats_minor_fault_total", "Page faults served without disk I/O in the guest.",
      Type::counter},
     &BalloonStats::minor_fault,
     Unit::one},
    {{"libvirt_domain_memory_stats_hugetlb_pgalloc_total", "Successful huge page allocations in the guest.",
      Type::counter},
     &BalloonStats::hugetlb_pgalloc,
     Unit::one},
    {{"libvirt_domain_memory_stats_hugetlb_pgfail_total", "Failed huge page allocations in the guest.", Type::counter},
     &BalloonStats::hugetlb_pgfail,
     Unit::one},
};

void write_fields(const DomainLabels& labels, TextWriter& out, std::span<const BalloonFamily> families)
{
    for (const BalloonFamily& f : families) {
        // Counts stay integers; KiB values become bytes.
        if (f.unit == Unit::one)
            each_domain(out, labels, f.family, [&](const collect::DomainSample& d) { return d.balloon.*f.field; });
        else
            each_domain(out, labels, f.family,
                        [&](const collect::DomainSample& d) { return to_base(d.balloon.*f.field, f.unit); });
    }
}

std::optional<double> used_percent(const BalloonStats& b)
{
    if (!b.available || !b.usable || *b.available == 0 || *b.usable > *b.available) return std::nullopt;
    return 100.0 * static_cast<double>(*b.available - *b.usable) / static_cast<double>(*b.available);
}

}  // namespace

void write_memory_families(const Scrape& scrape, const DomainLabels& labels, TextWriter& out)
{
    if (!scrape.snapshot) return;
    write_fields(labels, out, sizes);
    each_domain(out, labels,
                {"libvirt_domain_memory_stats_used_percent",
                 "Memory used by the domain, in percent of available memory.", Type::gauge},
                [](const collect::DomainSample& d) { return used_percent(d.balloon); });
    write_fields(labels, out, counters);
    each_domain(out, labels,
                {"libvirt_domain_memory_stats_period_seconds",
                 "Seconds between the guest's memory statistics updates (<memballoon><stats period>); 0: the guest "
                 "never reports usable or available memory, so only the configured size is known.",
                 Type::gauge},
                [](const collect::DomainSample& d) {
                    return d.devices ? d.devices->balloon_period : std::optional<std::uint32_t>();
                });
    each_domain(out, labels,
                {"libvirt_domain_memory_stats_last_update_timestamp_seconds",
                 "When the guest last updated its memory statistics, as a Unix timestamp.", Type::gauge},
                [](const collect::DomainSample& d) { return d.balloon.last_update; });
}

}  // namespace prom
