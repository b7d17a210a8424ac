#include "http/capacity.hpp"

#include <openssl/crypto.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace http {

Capacity plan_capacity(unsigned max_connections, std::uint64_t open_files_limit)
{
    Capacity c;
    c.queue = connection_queue_slots;
    const std::uint64_t fixed = reserved_open_files + c.queue;
    // With a limit too low even for the reserve, serve with one worker rather than not at all: the log
    // says why, and a scrape at a time is still answered.
    const std::uint64_t room = open_files_limit > fixed ? open_files_limit - fixed : 1;
    c.workers = static_cast<unsigned>(std::min<std::uint64_t>(max_connections, std::max<std::uint64_t>(room, 1)));
    c.lowered = c.workers < max_connections;
    // The kernel's accept queue holds connections that find every worker and queue slot taken, at no
    // cost to the exporter until accepted. About one pool's worth means such a connection waits for the
    // pool to turn over once (at most request_timeout while silent clients hold it) rather than having
    // its SYN dropped and retried after 1, 3, 7 s. CivetWeb's default is 200; Linux caps it at somaxconn
    // (4096 since 5.4).
    c.listen_backlog = std::clamp(c.workers, 128u, 4096u);
    c.open_files = c.workers + fixed;
    return c;
}

std::uint64_t open_files_limit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;  // the usual default; cannot fail on Linux
    return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(limit.rlim_cur);
}

std::uint64_t raise_open_files_limit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &limit);  // refused: the limit stays, and plan_capacity() fits in it
    }
    return open_files_limit();
}

std::string describe_lowered(unsigned max_connections, const Capacity& capacity)
{
    return "web.max_connections lowered from " + std::to_string(max_connections) + " to " +
           std::to_string(capacity.workers) + ": the open-files limit (RLIMIT_NOFILE) is too low for " +
           std::to_string(max_connections) + " connections plus " +
           std::to_string(reserved_open_files + capacity.queue) +
           " other files; raise it (systemd LimitNOFILE=, ulimit -n) to serve more";
}

namespace {

// Left resident below the current frame, for the syscall wrapper's frame (a leaf in libc, called
// directly rather than through madvise(), which a sanitizer may intercept with a deeper frame). What
// CivetWeb runs after the callback returns (unlocking, waiting for the next socket) is shallower still.
constexpr std::uintptr_t margin = 2048;

}  // namespace

void release_unused_stack() noexcept
{
    // The lowest usable address of this thread's stack (above the guard page). Fixed for the thread's
    // life, so it is looked up once per worker.
    thread_local std::uintptr_t lowest = 0;
    if (lowest == 0) {
        pthread_attr_t attr;
        if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
        void* addr = nullptr;
        std::size_t size = 0;
        const int rc = pthread_attr_getstack(&attr, &addr, &size);
        pthread_attr_destroy(&attr);
        if (rc != 0 || addr == nullptr) return;
        lowest = reinterpret_cast<std::uintptr_t>(addr);
    }
    // The frame address, not a local's: under ASan's use-after-return detection locals may live on a
    // heap "fake stack", while the frame is always on the real one. The stack grows down; everything
    // below the frame (past the margin) is dead once the connection is closed.
    const auto frame = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    if (frame < lowest + margin + page) return;
    const std::uintptr_t begin = (lowest + page - 1) & ~(page - 1);
    const std::uintptr_t end = (frame - margin) & ~(page - 1);
    if (end <= begin) return;
    // Private anonymous memory: MADV_DONTNEED frees the pages now, and the next touch maps a zero page.
    (void)syscall(SYS_madvise, begin, end - begin, MADV_DONTNEED);
}

void release_worker_state() noexcept
{
    OPENSSL_thread_stop();
    release_unused_stack();
}

}  // namespace http
