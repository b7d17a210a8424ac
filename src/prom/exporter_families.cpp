// The exporter's own health: libvirt_up, per-group collection status, device cache, build info.
#include <chrono>

#include "prom/families.hpp"
#include "virt/domain_source.hpp"

namespace prom {
namespace {

void write_collection_families(const collect::Snapshot& snap, TextWriter& out)
{
    out.single({"virt_exporter_collection_complete",
                "0 when the collection hit its time budget and some domains lack statistics.", Type::gauge},
               snap.complete ? 1 : 0);
    out.single({"virt_exporter_collection_duration_seconds", "Duration of the whole collection.", Type::gauge},
               std::chrono::duration<double>(snap.duration).count());
    out.single({"virt_exporter_domains_skipped",
                "Domains left out of the last collection because their record was unusable.", Type::gauge},
               snap.domains_skipped);
    out.single(
        {"virt_exporter_domains_filtered",
         "Domains listed but left out of the last collection by libvirt.domains or libvirt.inactive.", Type::gauge},
        snap.domains_filtered);
    unsigned devices = 0;
    for (const auto& d : snap.domains) devices += d.skipped_devices;
    out.single({"virt_exporter_devices_skipped",
                "Devices left out of the last collection (no name, or an unresolvable duplicate).", Type::gauge},
               devices);
    // Per stats group: the group's name is the only label.
    std::string set;
    const auto per_group = [&](const Family& family, auto value) {
        out.family(family);
        for (const auto& g : snap.groups) {
            set.clear();
            append_label(set, "group", virt::stats_group_name(g.group));
            out.sample(set, value(g));
        }
    };
    per_group({"virt_exporter_collection_group_duration_seconds",
               "Time spent collecting each stats group (the bulk call plus any per-domain calls).", Type::gauge},
              [](const collect::GroupStatus& g) { return std::chrono::duration<double>(g.duration).count(); });
    per_group({"virt_exporter_collection_success", "1 when the stats group was collected without error.", Type::gauge},
              [](const collect::GroupStatus& g) { return g.success ? 1 : 0; });
    per_group(
        {"virt_exporter_collection_per_domain",
         "1 when the stats group came from per-domain calls because the bulk call did not return it.", Type::gauge},
        [](const collect::GroupStatus& g) { return g.per_domain ? 1 : 0; });
}

}  // namespace

void write_exporter_families(const Scrape& scrape, const DomainLabels&, TextWriter& out)
{
    const auto* snap = scrape.snapshot.get();
    const auto& st = scrape.status;
    out.single({"libvirt_up", "Whether the last collection from libvirt was successful.", Type::gauge},
               snap && snap->libvirt_up ? 1 : 0);
    std::string version;
    append_label(version, "version", st.version);
    out.family({"virt_exporter_build_info", "Version of virt-exporter.", Type::gauge});
    out.sample(version, 1);
    out.single({"virt_exporter_collections_total", "Collections from libvirt since start.", Type::counter},
               st.collections);
    out.single({"virt_exporter_snapshot_stale",
                "1 when this scrape was answered from an older collection because the current one did not finish "
                "within scrape_timeout.",
                Type::gauge},
               st.fresh ? 0 : 1);
    out.single({"virt_exporter_device_cache_hits_total", "Device cache lookups served from the cache.", Type::counter},
               st.cache.hits);
    out.single(
        {"virt_exporter_device_cache_misses_total", "Device cache lookups that fetched the domain XML.", Type::counter},
        st.cache.misses);
    out.single({"virt_exporter_device_cache_errors_total", "Domain XML fetches or parses that failed.", Type::counter},
               st.cache.errors);
    out.single({"virt_exporter_device_cache_entries", "Domains in the device cache.", Type::gauge}, st.cache.size);
    out.family({"virt_exporter_internal_errors_total",
                "Errors caught at a thread's boundary (a bug, or an exception nobody expected); the thread went on.",
                Type::counter});
    for (std::size_t i = 0; i < util::thread_roles.size(); ++i) {
        std::string role;
        append_label(role, "thread", util::thread_role_name(util::thread_roles[i]));
        out.sample(role, st.internal_errors[i]);
    }
    if (!snap) return;
    out.single({"virt_exporter_snapshot_age_seconds", "Age of the collection this scrape shows.", Type::gauge},
               st.snapshot_age_seconds);
    write_collection_families(*snap, out);
}

}  // namespace prom
