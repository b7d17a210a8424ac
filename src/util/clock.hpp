// Time sources. Everything that expires or backs off takes a Clock so tests can drive time by hand.
// Thread-safety: SystemClock is stateless; ManualClock is safe to read while a test thread advances it.
#pragma once

#include <atomic>
#include <chrono>

namespace util {

class Clock {
public:
    virtual ~Clock() = default;
    // Monotonic time for TTLs, deadlines and backoff.
    virtual std::chrono::steady_clock::time_point now() const noexcept = 0;
    // Wall-clock time for timestamps shown to users.
    virtual std::chrono::system_clock::time_point wall() const noexcept = 0;
};

class SystemClock final : public Clock {
public:
    std::chrono::steady_clock::time_point now() const noexcept override { return std::chrono::steady_clock::now(); }
    std::chrono::system_clock::time_point wall() const noexcept override { return std::chrono::system_clock::now(); }
    // The process-wide instance; lives for the whole program.
    static const SystemClock& instance() noexcept
    {
        static const SystemClock clock;
        return clock;
    }
};

// A clock that only moves when told to; starts at an arbitrary fixed point.
class ManualClock final : public Clock {
public:
    std::chrono::steady_clock::time_point now() const noexcept override
    {
        return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns_.load()));
    }
    std::chrono::system_clock::time_point wall() const noexcept override
    {
        return std::chrono::system_clock::time_point(std::chrono::nanoseconds(wall_offset_ns + ns_.load()));
    }
    void advance(std::chrono::nanoseconds d) noexcept { ns_ += d.count(); }

private:
    static constexpr long long wall_offset_ns = 1'700'000'000'000'000'000LL;
    std::atomic<long long> ns_{1'000'000'000'000LL};
};

}  // namespace util
