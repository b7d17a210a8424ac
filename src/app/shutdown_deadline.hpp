// Bounds the exporter's teardown after SIGTERM. libvirt cannot cancel a call: a collection that waits
// on a frozen libvirtd (or on a guest's hung QEMU monitor) holds its thread until libvirtd answers, and
// joining that thread would keep the process alive for as long. The push has been stopped (flushed or
// spooled) before this is armed, so nothing is lost by not waiting: once the deadline passes, the process
// says so in one log line and exits with status 0 without running destructors.
//
// Ownership: owns one thread, from construction until the destructor (which disarms and joins it).
// Thread-safety: construct and destroy on one thread. Throws std::system_error if the thread cannot
// start.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace app {

class ShutdownDeadline {
public:
    explicit ShutdownDeadline(std::chrono::milliseconds limit);
    ~ShutdownDeadline();
    ShutdownDeadline(const ShutdownDeadline&) = delete;
    ShutdownDeadline& operator=(const ShutdownDeadline&) = delete;

private:
    void watch(std::chrono::milliseconds limit) noexcept;

    std::mutex mu_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;  // last: started once the members it uses exist
};

}  // namespace app
