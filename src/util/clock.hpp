// Time sources. Everything that expires or backs off takes a Clock so tests can drive time by hand
// (tests/support/manual_clock.hpp). Thread-safety: SystemClock is stateless.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace util {

class Clock {
public:
    virtual ~Clock() = default;
    // Monotonic time for TTLs, deadlines and backoff.
    virtual std::chrono::steady_clock::time_point now() const noexcept = 0;
    // Wall-clock time for timestamps shown to users.
    virtual std::chrono::system_clock::time_point wall() const noexcept = 0;
    // Blocks on `cv` (`lock` held, as for std::condition_variable) until notified or until now() reaches
    // `deadline`; may return early, so callers loop on their own condition and the deadline.
    virtual void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                            std::chrono::steady_clock::time_point deadline) const = 0;
};

class SystemClock final : public Clock {
public:
    std::chrono::steady_clock::time_point now() const noexcept override { return std::chrono::steady_clock::now(); }
    std::chrono::system_clock::time_point wall() const noexcept override { return std::chrono::system_clock::now(); }
    void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                    std::chrono::steady_clock::time_point deadline) const override
    {
        cv.wait_until(lock, deadline);
    }
    // The process-wide instance; lives for the whole program.
    static const SystemClock& instance() noexcept
    {
        static const SystemClock clock;
        return clock;
    }
};

}  // namespace util
