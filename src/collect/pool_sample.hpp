// What the storage-pool families and the storage_pools measurement are written from: the pools of the
// last rounds of collect::PoolCollector, each with its last answer. Plain values; copied out of the
// collector under its lock, then read by any thread.
#pragma once

#include <string>
#include <vector>

#include "virt/domain_source.hpp"

namespace collect {

struct PoolSample {
    std::string name;
    std::string uuid;
    std::string type;         // from the XML; empty until it was read (or when it could not be parsed)
    std::string target_path;  // from the XML; empty for pools without a target path
    bool answered = false;    // info holds an answer (false: listed, but virStoragePoolGetInfo never answered)
    virt::StoragePoolInfo info;
    // The round in progress asked for this pool more than the timeout ago and has no answer yet: `info`
    // (if answered) is the previous round's.
    bool timed_out = false;
};

struct PoolSnapshot {
    bool enabled = false;           // libvirt.storage_pools; false: no pool family is written
    std::vector<PoolSample> pools;  // by name
    unsigned failed = 0;            // pools whose virStoragePoolGetInfo failed in the last finished round
};

}  // namespace collect
