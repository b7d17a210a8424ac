#include "http/worker_stack.hpp"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

namespace http {
namespace {

// Left resident below the current frame: madvise()'s own frame and what CivetWeb calls after the
// callback returns (unlocking, going back to wait for the next socket) run within it: madvise is a
// leaf in libc, and the frames above are shallower than this one.
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
    (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

}  // namespace http
