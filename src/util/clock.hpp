// Time sources. Everything that expires or backs off takes a Clock so tests can drive time by hand
// (tests/support/manual_clock.hpp). Thread-safety: SystemClock is stateless.
#pragma once

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

}  // namespace util
