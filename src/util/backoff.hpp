// Capped exponential backoff with jitter, shared by the libvirt reconnect loop and the InfluxDB push
// retries, and the wait that honours a server's Retry-After. Pure and thread-safe.
#pragma once

#include <chrono>
#include <optional>

namespace util {

// The wait before the next attempt after `failures` (>= 1) failed ones in a row: min * 2^(failures-1),
// capped at max (max below min: min), then shortened by up to 20% according to `unit_random` in [0, 1)
// so that many clients that lost the same server do not all come back in lockstep.
std::chrono::milliseconds backoff_delay(unsigned failures, std::chrono::milliseconds min, std::chrono::milliseconds max,
                                        double unit_random) noexcept;

// The wait before retrying after an answer that asked for one (429/503): the longer of our `backoff` and
// the server's `retry_after`, but never above `max` (a server cannot park us for a day), and never
// shorter than `backoff` (a "Retry-After: 0" cannot turn the retry into a tight loop). Telegraf's
// outputs.influxdb_v2 decides it the same way.
std::chrono::milliseconds retry_wait(std::chrono::milliseconds backoff, std::optional<std::chrono::seconds> retry_after,
                                     std::chrono::milliseconds max) noexcept;

}  // namespace util
