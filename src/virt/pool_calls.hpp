// The storage-pool calls behind DomainSource's pool methods, read-only ones only: listing, info and the
// XML definition, never a refresh (which needs write access). Private to src/virt.
//
// Thread-safety: any thread (libvirt's last error is per thread). Throws virt::Error naming the call and
// the pool.
#pragma once

#include <libvirt/libvirt.h>

#include <string>
#include <vector>

#include "virt/domain_source.hpp"

namespace virt::detail {

// virConnectListAllStoragePools(flags 0): every pool, active or not, in libvirt's order.
std::vector<StoragePoolRef> list_storage_pools(virConnectPtr conn);

// virStoragePoolGetInfo of the pool with `pool.uuid`. The handle is looked up by UUID
// (virStoragePoolLookupByUUIDString: the driver's own table, it never asks the pool's backend), so no
// handle outlives one call. ErrorKind::other when the pool is gone.
StoragePoolInfo get_storage_pool_info(virConnectPtr conn, const StoragePoolRef& pool);

// virStoragePoolGetXMLDesc(flags 0) of the pool, looked up as above.
std::string get_storage_pool_xml(virConnectPtr conn, const StoragePoolRef& pool);

}  // namespace virt::detail
