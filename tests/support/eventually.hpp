// Test support: waiting for something another thread does, without a fixed sleep.
#pragma once

#include <chrono>
#include <thread>

namespace test_support {

// Polls `condition` every 5 ms until it holds (true) or `timeout` has passed (false).
template <typename Condition>
bool eventually(Condition&& condition, std::chrono::milliseconds timeout = std::chrono::seconds(5))
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace test_support
