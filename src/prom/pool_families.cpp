// Storage pools (inovex's libvirt_storage_pool_* names), from the pool collector's last answers
// (collect/pool_collector.hpp), which run on their own thread: these families never wait for libvirt.
#include "prom/families.hpp"

namespace prom {
namespace {

constexpr Family info_family{"libvirt_storage_pool_info",
                             "Storage pool type, target path and UUID (virStoragePoolGetXMLDesc); always 1.",
                             Type::gauge};
constexpr Family state_family{"libvirt_storage_pool_state",
                              "Storage pool state (virStoragePoolGetInfo): 0 inactive, 1 building, 2 running, "
                              "3 degraded, 4 inaccessible.",
                              Type::gauge};
constexpr Family capacity_family{"libvirt_storage_pool_capacity_bytes",
                                 "Storage pool logical size in bytes (virStoragePoolGetInfo capacity).", Type::gauge};
constexpr Family allocation_family{"libvirt_storage_pool_allocation_bytes",
                                   "Storage pool bytes allocated to volumes (virStoragePoolGetInfo allocation).",
                                   Type::gauge};
constexpr Family available_family{"libvirt_storage_pool_available_bytes",
                                  "Storage pool bytes free for new volumes (virStoragePoolGetInfo available).",
                                  Type::gauge};
constexpr Family timed_out_family{"libvirt_storage_pool_timed_out",
                                  "1 when the pool did not answer within libvirt.timeout of its round; its values "
                                  "are then the previous round's.",
                                  Type::gauge};
constexpr Family failed_family{"virt_exporter_storage_pools_failed",
                               "Storage pools left out of the last pool round because virStoragePoolGetInfo failed.",
                               Type::gauge};

}  // namespace

void write_pool_families(const Scrape& scrape, const DomainLabels&, TextWriter& out)
{
    const collect::PoolSnapshot& snap = scrape.pools;
    if (!snap.enabled) return;
    std::vector<std::string> sets(snap.pools.size());
    for (std::size_t i = 0; i < snap.pools.size(); ++i) append_label(sets[i], "storage_pool", snap.pools[i].name);

    out.family(info_family);
    std::string info;
    for (std::size_t i = 0; i < snap.pools.size(); ++i) {
        const auto& p = snap.pools[i];
        info.clear();
        append_label(info, "type", p.type);
        append_label(info, "target_path", p.target_path);
        append_label(info, "uuid", p.uuid);
        out.sample(sets[i], info, 1);
    }
    const auto per_pool = [&](const Family& family, auto value) {
        out.family(family);
        for (std::size_t i = 0; i < snap.pools.size(); ++i)
            if (snap.pools[i].answered) out.sample(sets[i], value(snap.pools[i].info));
    };
    per_pool(state_family, [](const virt::StoragePoolInfo& i) { return i.state; });
    per_pool(capacity_family, [](const virt::StoragePoolInfo& i) { return i.capacity; });
    per_pool(allocation_family, [](const virt::StoragePoolInfo& i) { return i.allocation; });
    per_pool(available_family, [](const virt::StoragePoolInfo& i) { return i.available; });
    out.family(timed_out_family);
    for (std::size_t i = 0; i < snap.pools.size(); ++i) out.sample(sets[i], snap.pools[i].timed_out ? 1 : 0);
    out.single(failed_family, snap.failed);
}

}  // namespace prom
