#include "util/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace util {

std::chrono::milliseconds backoff_delay(unsigned failures, std::chrono::milliseconds min, std::chrono::milliseconds max,
                                        double unit_random) noexcept
{
    const double lo = static_cast<double>(std::max<std::int64_t>(min.count(), 1));
    const double hi = std::max(lo, static_cast<double>(max.count()));
    double base = lo;
    for (unsigned i = 1; i < failures && base < hi; ++i) base *= 2;
    base = std::min(base, hi);
    const double jitter = std::clamp(unit_random, 0.0, 1.0) * 0.2;
    return std::chrono::milliseconds(std::llround(base * (1.0 - jitter)));
}

std::chrono::milliseconds retry_wait(std::chrono::milliseconds backoff, std::optional<std::chrono::seconds> retry_after,
                                     std::chrono::milliseconds max) noexcept
{
    if (!retry_after) return backoff;
    // Compared in seconds first: a huge Retry-After must not overflow when converted to milliseconds.
    const auto cap = std::max(max, backoff);
    if (*retry_after >= std::chrono::ceil<std::chrono::seconds>(cap)) return cap;
    return std::max(backoff, std::min<std::chrono::milliseconds>(*retry_after, cap));
}

}  // namespace util
