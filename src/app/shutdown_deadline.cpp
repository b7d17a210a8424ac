#include "app/shutdown_deadline.hpp"

#include <cstdlib>
#include <string>

#include "util/log.hpp"

namespace app {

ShutdownDeadline::ShutdownDeadline(std::chrono::milliseconds limit) : thread_([this, limit] { watch(limit); }) {}

ShutdownDeadline::~ShutdownDeadline()
{
    {
        std::lock_guard lock(mu_);
        done_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void ShutdownDeadline::watch(std::chrono::milliseconds limit) noexcept
{
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, limit, [this] { return done_; })) return;
    util::log_warn("app", "still stopping after " + std::to_string(limit.count()) +
                              " ms: libvirt calls are waiting on libvirtd (libvirt cannot cancel them); exiting "
                              "without them");
    // Not exit(): its destructors would join the very threads that are stuck.
    std::_Exit(0);
}

}  // namespace app
