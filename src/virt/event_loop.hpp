// The thread that runs libvirt's default event loop. libvirt's loop is process-global (one
// virEventRegisterDefaultImpl per process, one thread iterating it), so every Connection in the process
// shares one loop through an EventLoopLease: the first lease registers the implementation (once per
// process) and starts the thread, the last lease to go stops and joins it.
//
// Keepalive timers, the connection-close callback and domain events all run on this thread, so
// anything they call must be quick and must not take a lease or stop a Connection.
//
// Thread-safety: leases may be taken and dropped from any thread. Dropping the last lease blocks until
// the loop thread has ended, which is prompt: it is woken with a zero-delay libvirt timeout.
// Throws: the EventLoopLease constructor throws virt::Error when libvirt cannot register its loop.
#pragma once

namespace virt::detail {

class EventLoopLease {
public:
    EventLoopLease();
    ~EventLoopLease();
    EventLoopLease(const EventLoopLease&) = delete;
    EventLoopLease& operator=(const EventLoopLease&) = delete;

    // True while a loop thread is running in this process (for tests).
    static bool running() noexcept;
    // How many times a loop thread was started in this process (for tests).
    static unsigned threads_started() noexcept;
};

}  // namespace virt::detail
