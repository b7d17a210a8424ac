// Cutting work into shares and running them at the same time: the split bulk call (one share per
// libvirt connection, virt/split_stats.cpp) and the sampler's per-domain work (collect/sampler.cpp).
// Shares are contiguous ranges, so merging their results in share order keeps the items' order.
//
// Threads: run_shares starts a thread per share but the first and joins them all before it returns;
// nothing it starts outlives the call. Throws std::bad_alloc, and what work(0) throws.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace util {

// [begin, end) of one share.
using Share = std::pair<std::size_t, std::size_t>;

// `parts` contiguous shares of `n` items, sizes differing by at most one, none empty (fewer shares when
// n < parts; none when n == 0).
std::vector<Share> split_evenly(std::size_t n, unsigned parts);

// Calls work(0) .. work(count - 1) at the same time: work(0) on the calling thread, every other on a
// thread of its own; returns once all have returned. A share whose thread cannot be started (the
// process is out of threads) runs on the calling thread instead. Only work(0) may throw (its exception
// leaves run_shares once the other shares have returned); the others must not.
void run_shares(std::size_t count, const std::function<void(std::size_t share)>& work);

}  // namespace util
