// Capped exponential backoff with jitter, shared by the libvirt reconnect loop and the InfluxDB push
// retries. Pure and thread-safe.
#pragma once

#include <chrono>

namespace util {

// The wait before the next attempt after `failures` (>= 1) failed ones in a row: min * 2^(failures-1),
// capped at max (max below min: min), then shortened by up to 20% according to `unit_random` in [0, 1)
// so that many clients that lost the same server do not all come back in lockstep.
std::chrono::milliseconds backoff_delay(unsigned failures, std::chrono::milliseconds min, std::chrono::milliseconds max,
                                        double unit_random) noexcept;

}  // namespace util
