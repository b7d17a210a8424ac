#include "virt/event_loop.hpp"

#include <libvirt/libvirt.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "util/log.hpp"
#include "virt/libvirt_error.hpp"

namespace virt::detail {
namespace {

// All loop state is process-wide because libvirt's default loop is. `mu` serialises starting and
// stopping, so a new loop thread never runs next to one that is still winding down.
std::mutex mu;
unsigned leases = 0;
std::thread loop_thread;
std::atomic<bool> stop_requested{false};
std::atomic<bool> loop_running{false};
std::atomic<unsigned> started_count{0};

void register_default_impl()
{
    static std::once_flag once;
    static int result = 0;
    std::call_once(once, [] {
        init_libvirt();
        result = virEventRegisterDefaultImpl();
    });
    if (result < 0) throw last_error("virEventRegisterDefaultImpl");
}

void run_loop() noexcept
{
    util::LogOnce log_once;
    while (!stop_requested.load()) {
        if (virEventRunDefaultImpl() < 0) {
            log_once.log(util::LogLevel::warn, "virt", "loop", last_error("virEventRunDefaultImpl").what());
            // Do not spin if the loop is broken; it is retried so events resume if it recovers.
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    loop_running = false;
}

// A zero-delay timeout makes the blocked virEventRunDefaultImpl return; it removes itself.
void wake_timeout(int timer, void*) noexcept
{
    virEventRemoveTimeout(timer);
}

void wake_loop()
{
    if (virEventAddTimeout(0, wake_timeout, nullptr, nullptr) < 0)
        util::log_warn("virt", last_error("virEventAddTimeout").what());
}

}  // namespace

EventLoopLease::EventLoopLease()
{
    std::lock_guard lock(mu);
    register_default_impl();
    if (leases++ > 0) return;
    stop_requested = false;
    loop_running = true;
    ++started_count;
    try {
        loop_thread = std::thread(run_loop);
    } catch (...) {
        --leases;
        loop_running = false;
        throw;
    }
}

EventLoopLease::~EventLoopLease()
{
    std::lock_guard lock(mu);
    if (--leases > 0) return;
    stop_requested = true;
    wake_loop();
    if (loop_thread.joinable()) loop_thread.join();
}

bool EventLoopLease::running() noexcept
{
    return loop_running.load();
}

unsigned EventLoopLease::threads_started() noexcept
{
    return started_count.load();
}

}  // namespace virt::detail
