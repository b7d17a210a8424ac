// The exporter's own health: libvirt_up, per-group collection status, device cache, build info.
#include "prom/families.hpp"
#include "prom/family_builder.hpp"
#include "virt/domain_source.hpp"

namespace prom {

void add_exporter_families(const Scrape& scrape, Families& out)
{
    using prometheus::MetricType;
    const auto* snap = scrape.snapshot.get();
    const auto& st = scrape.status;
    {
        FamilyBuilder up(out, "libvirt_up", "Whether the last collection from libvirt was successful.",
                         MetricType::Gauge);
        up.add({}, snap && snap->libvirt_up ? 1 : 0);
    }
    {
        FamilyBuilder build(out, "virt_exporter_build_info", "Version of virt-exporter.", MetricType::Gauge);
        build.add({{"version", st.version}}, 1);
    }
    {
        FamilyBuilder f(out, "virt_exporter_collections_total", "Collections from libvirt since start.",
                        MetricType::Counter);
        f.add({}, static_cast<double>(st.collections));
    }
    {
        FamilyBuilder f(out, "virt_exporter_snapshot_stale",
                        "1 when this scrape was answered from an older collection because the current one "
                        "did not finish within scrape_timeout.",
                        MetricType::Gauge);
        f.add({}, st.fresh ? 0 : 1);
    }
    {
        FamilyBuilder cache_hits(out, "virt_exporter_device_cache_hits_total",
                                 "Device cache lookups served from "
                                 "the cache.",
                                 MetricType::Counter);
        cache_hits.add({}, static_cast<double>(st.cache.hits));
        FamilyBuilder misses(out, "virt_exporter_device_cache_misses_total",
                             "Device cache lookups that fetched the domain XML.", MetricType::Counter);
        misses.add({}, static_cast<double>(st.cache.misses));
        FamilyBuilder errors(out, "virt_exporter_device_cache_errors_total",
                             "Domain XML fetches or parses that failed.", MetricType::Counter);
        errors.add({}, static_cast<double>(st.cache.errors));
        FamilyBuilder size(out, "virt_exporter_device_cache_entries", "Domains in the device cache.",
                           MetricType::Gauge);
        size.add({}, static_cast<double>(st.cache.size));
    }
    if (!snap) return;
    {
        FamilyBuilder age(out, "virt_exporter_snapshot_age_seconds", "Age of the collection this scrape shows.",
                          MetricType::Gauge);
        age.add({}, st.snapshot_age_seconds);
        FamilyBuilder complete(out, "virt_exporter_collection_complete",
                               "0 when the collection hit its time budget and some domains lack statistics.",
                               MetricType::Gauge);
        complete.add({}, snap->complete ? 1 : 0);
        FamilyBuilder duration(out, "virt_exporter_collection_duration_seconds", "Duration of the whole collection.",
                               MetricType::Gauge);
        duration.add({}, std::chrono::duration<double>(snap->duration).count());
        FamilyBuilder skipped(out, "virt_exporter_domains_skipped",
                              "Domains left out of the last collection because their record was unusable.",
                              MetricType::Gauge);
        skipped.add({}, snap->domains_skipped);
        unsigned devices = 0;
        for (const auto& d : snap->domains) devices += d.skipped_devices;
        FamilyBuilder dev(out, "virt_exporter_devices_skipped",
                          "Devices left out of the last collection (no name, or an unresolvable duplicate).",
                          MetricType::Gauge);
        dev.add({}, devices);
    }
    FamilyBuilder g_duration(out, "virt_exporter_collection_group_duration_seconds",
                             "Time spent collecting each stats group (the bulk call plus any per-domain calls).",
                             MetricType::Gauge);
    FamilyBuilder g_success(out, "virt_exporter_collection_success",
                            "1 when the stats group was collected without error.", MetricType::Gauge);
    FamilyBuilder g_per_domain(out, "virt_exporter_collection_per_domain",
                               "1 when the stats group came from per-domain calls because the bulk call did not "
                               "return it.",
                               MetricType::Gauge);
    for (const auto& g : snap->groups) {
        const Labels labels{{"group", std::string(virt::stats_group_name(g.group))}};
        g_duration.add(labels, std::chrono::duration<double>(g.duration).count());
        g_success.add(labels, g.success ? 1 : 0);
        g_per_domain.add(labels, g.per_domain ? 1 : 0);
    }
}

}  // namespace prom
