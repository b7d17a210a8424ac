// How a collection is cut into libvirt.parallel shares: contiguous ranges, so merging the shares'
// results in share order keeps the listing's order. Used by the split bulk call (split_stats.cpp) and
// the sampler's per-domain work. Pure; header-only; no libvirt.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace virt {

// [begin, end) of `parts` contiguous shares of `n` items, sizes differing by at most one, none empty
// (fewer shares when n < parts; none when n == 0).
inline std::vector<std::pair<std::size_t, std::size_t>> split_evenly(std::size_t n, unsigned parts)
{
    std::vector<std::pair<std::size_t, std::size_t>> shares;
    const std::size_t count = std::min<std::size_t>(n, std::max(parts, 1u));
    std::size_t begin = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t size = n / count + (i < n % count ? 1 : 0);
        shares.emplace_back(begin, begin + size);
        begin += size;
    }
    return shares;
}

}  // namespace virt
