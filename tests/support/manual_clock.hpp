// Test support: a util::Clock that only moves when the test says so, starting at a fixed point, so TTLs,
// deadlines and backoff waits can be driven by hand. Safe to read from any thread while the test thread
// advances it. Header-only; nothing here throws.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "util/clock.hpp"

namespace test_support {

class ManualClock final : public util::Clock {
public:
    std::chrono::steady_clock::time_point now() const noexcept override
    {
        return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns_.load()));
    }
    std::chrono::system_clock::time_point wall() const noexcept override
    {
        return std::chrono::system_clock::time_point(std::chrono::nanoseconds(wall_offset_ns + ns_.load()));
    }
    // Real time does not move this clock, so a waiter polls it: a test's advance() is seen within 1 ms.
    void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                    std::chrono::steady_clock::time_point deadline) const override
    {
        if (now() < deadline) cv.wait_for(lock, std::chrono::milliseconds(1));
    }
    void advance(std::chrono::nanoseconds d) noexcept { ns_ += d.count(); }

private:
    static constexpr long long wall_offset_ns = 1'700'000'000'000'000'000LL;
    std::atomic<long long> ns_{1'000'000'000'000LL};
};

}  // namespace test_support
