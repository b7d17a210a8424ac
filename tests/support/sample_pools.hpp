// Test support: a fixed PoolSnapshot for the pool families and the storage_pools lines — a dir pool
// that answered, and a netfs pool with a hostile name that never answered and timed out.
#pragma once

#include "collect/pool_sample.hpp"

namespace test_support {

inline collect::PoolSnapshot sample_pools()
{
    collect::PoolSnapshot snap;
    snap.enabled = true;
    snap.failed = 1;
    snap.pools = {
        {.name = "images",
         .uuid = "35bb2ad9-388a-cdfe-461a-b8907f6e5a1f",
         .type = "dir",
         .target_path = "/var/lib/libvirt/images",
         .answered = true,
         .info = {2, 107374182400, 21474836480, 85899345920},
         .timed_out = false},
        {.name = "nfs \"share\"",
         .uuid = "9c1a7e02-6b9f-4a53-8f1e-0d5f0d3c2b11",
         .type = "netfs",
         .target_path = "/mnt/share",
         .answered = false,
         .info = {},
         .timed_out = true},
    };
    return snap;
}

}  // namespace test_support
