// RAII owners for every libvirt object this library touches: nothing in src/virt frees a libvirt
// handle by hand. Private to src/virt (it includes libvirt); the rest of the program never sees it.
//
// Thread-safety: the owners are plain values; the libvirt objects they own are thread-safe per
// libvirt's rules (one virConnectPtr/virDomainPtr may be used from several threads at once).
#pragma once

#include <libvirt/libvirt.h>

#include <cstdlib>
#include <vector>

#include "util/c_handle.hpp"

namespace virt::detail {

using ConnectPtr = util::CHandle<virConnect, virConnectClose>;
using DomainPtr = util::CHandle<virDomain, virDomainFree>;

// A second owner of a domain handle someone else owns (e.g. one inside a stats record list).
inline DomainPtr ref_domain(virDomainPtr dom) noexcept
{
    if (!dom || virDomainRef(dom) < 0) return nullptr;
    return DomainPtr(dom);
}

// The NULL-terminated array virConnectGetAllDomainStats hands back; frees the records and their
// domain references.
using StatsRecordList = util::CHandle<virDomainStatsRecordPtr[], virDomainStatsRecordListFree>;

// Strings libvirt allocates (virDomainGetXMLDesc) are released with free().
using CString = util::CHandle<char, std::free>;

// The array virConnectListAllDomains hands back. libvirt allocates one element more than it counts and
// sets it to NULL, so the handles are freed up to that NULL, then the array.
inline void free_domain_list(virDomainPtr* list) noexcept
{
    for (virDomainPtr* dom = list; *dom; ++dom) virDomainFree(*dom);
    std::free(list);
}
using DomainList = util::CHandle<virDomainPtr[], free_domain_list>;

using StoragePoolPtr = util::CHandle<virStoragePool, virStoragePoolFree>;

// The array virConnectListAllStoragePools hands back, NULL-terminated as the domain list is.
inline void free_storage_pool_list(virStoragePoolPtr* list) noexcept
{
    for (virStoragePoolPtr* pool = list; *pool; ++pool) virStoragePoolFree(*pool);
    std::free(list);
}
using StoragePoolList = util::CHandle<virStoragePoolPtr[], free_storage_pool_list>;

// A typed-parameter array that we allocate and a libvirt call fills (virDomainGetCPUStats,
// virDomainBlockStatsFlags): the array is ours, but string values inside it are libvirt's and are
// released by virTypedParamsClear.
class TypedParamBuffer {
public:
    explicit TypedParamBuffer(int count) : params_(count > 0 ? static_cast<std::size_t>(count) : 0) {}
    TypedParamBuffer(const TypedParamBuffer&) = delete;
    TypedParamBuffer& operator=(const TypedParamBuffer&) = delete;
    ~TypedParamBuffer() { virTypedParamsClear(params_.data(), filled_); }

    virTypedParameterPtr data() noexcept { return params_.data(); }
    int capacity() const noexcept { return static_cast<int>(params_.size()); }
    // How many entries the call filled (set from its return value or in/out count).
    void set_filled(int n) noexcept { filled_ = n < 0 ? 0 : (n > capacity() ? capacity() : n); }
    int filled() const noexcept { return filled_; }

private:
    std::vector<virTypedParameter> params_;
    int filled_ = 0;
};

// A typed-parameter array that libvirt allocates and fills (virDomainGetJobStats): released, strings
// and all, by virTypedParamsFree with the count libvirt reported.
class AllocatedTypedParams {
public:
    AllocatedTypedParams() = default;
    AllocatedTypedParams(const AllocatedTypedParams&) = delete;
    AllocatedTypedParams& operator=(const AllocatedTypedParams&) = delete;
    ~AllocatedTypedParams() { virTypedParamsFree(params_, count_); }

    // The out-parameters to pass to the call; call at most once, before the array is read.
    virTypedParameterPtr* params_out() noexcept { return &params_; }
    int* count_out() noexcept { return &count_; }
    const virTypedParameter* data() const noexcept { return params_; }
    int count() const noexcept { return params_ ? count_ : 0; }

private:
    virTypedParameterPtr params_ = nullptr;
    int count_ = 0;
};

}  // namespace virt::detail
