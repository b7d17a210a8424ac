#include "util/shares.hpp"

#include <algorithm>
#include <system_error>
#include <thread>

namespace util {

std::vector<Share> split_evenly(std::size_t n, unsigned parts)
{
    std::vector<Share> shares;
    const std::size_t count = std::min<std::size_t>(n, std::max(parts, 1u));
    shares.reserve(count);
    std::size_t begin = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t size = n / count + (i < n % count ? 1 : 0);
        shares.emplace_back(begin, begin + size);
        begin += size;
    }
    return shares;
}

void run_shares(std::size_t count, const std::function<void(std::size_t share)>& work)
{
    std::vector<std::jthread> threads;  // joined on the way out, also when work(0) is the last to end
    threads.reserve(count > 1 ? count - 1 : 0);
    for (std::size_t s = 1; s < count; ++s) {
        try {
            threads.emplace_back([&work, s]() noexcept { work(s); });
        } catch (const std::system_error&) {
            work(s);
        }
    }
    if (count > 0) work(0);
}

}  // namespace util
