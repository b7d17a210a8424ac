#include "virt/pool_calls.hpp"

#include <array>

#include "virt/handles.hpp"
#include "virt/libvirt_error.hpp"

namespace virt::detail {
namespace {

StoragePoolRef pool_ref(virStoragePoolPtr pool)
{
    StoragePoolRef ref;
    if (const char* name = virStoragePoolGetName(pool)) ref.name = name;
    std::array<char, VIR_UUID_STRING_BUFLEN> buf{};
    if (virStoragePoolGetUUIDString(pool, buf.data()) == 0) ref.uuid = buf.data();
    return ref;
}

StoragePoolPtr lookup(virConnectPtr conn, const StoragePoolRef& pool)
{
    StoragePoolPtr handle(virStoragePoolLookupByUUIDString(conn, pool.uuid.c_str()));
    if (!handle) throw_last_error("virStoragePoolLookupByUUIDString", pool.name.empty() ? pool.uuid : pool.name);
    return handle;
}

}  // namespace

std::vector<StoragePoolRef> list_storage_pools(virConnectPtr conn)
{
    virStoragePoolPtr* raw = nullptr;
    const int n = virConnectListAllStoragePools(conn, &raw, 0);
    if (n < 0) throw_last_error("virConnectListAllStoragePools");
    const StoragePoolList list(raw);
    std::vector<StoragePoolRef> refs;
    refs.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n && list[i]; ++i) refs.push_back(pool_ref(list[i]));
    return refs;
}

StoragePoolInfo get_storage_pool_info(virConnectPtr conn, const StoragePoolRef& pool)
{
    const StoragePoolPtr handle = lookup(conn, pool);
    virStoragePoolInfo info{};
    if (virStoragePoolGetInfo(handle.get(), &info) < 0) throw_last_error("virStoragePoolGetInfo", pool.name);
    return StoragePoolInfo{
        .state = info.state,
        .capacity = static_cast<std::uint64_t>(info.capacity),
        .allocation = static_cast<std::uint64_t>(info.allocation),
        .available = static_cast<std::uint64_t>(info.available),
    };
}

std::string get_storage_pool_xml(virConnectPtr conn, const StoragePoolRef& pool)
{
    const StoragePoolPtr handle = lookup(conn, pool);
    const CString xml(virStoragePoolGetXMLDesc(handle.get(), 0));
    if (!xml) throw_last_error("virStoragePoolGetXMLDesc", pool.name);
    return std::string(xml.get());
}

}  // namespace virt::detail
