#include "util/internal_errors.hpp"

#include <atomic>
#include <string>

#include "util/log.hpp"

namespace util {
namespace {

std::array<std::atomic<std::uint64_t>, thread_roles.size()> counts{};

LogOnce& log_once()
{
    static LogOnce once;
    return once;
}

}  // namespace

const char* thread_role_name(ThreadRole role) noexcept
{
    switch (role) {
    case ThreadRole::push_collector: return "push_collector";
    case ThreadRole::push_sender: return "push_sender";
    case ThreadRole::libvirt_events: return "libvirt_events";
    case ThreadRole::libvirt_reconnect: return "libvirt_reconnect";
    case ThreadRole::collection: return "collection";
    case ThreadRole::http: return "http";
    }
    return "unknown";
}

void count_internal_error(ThreadRole role, const std::exception_ptr& error) noexcept
{
    counts[static_cast<std::size_t>(role)].fetch_add(1, std::memory_order_relaxed);
    try {
        std::string what = "unknown exception";
        try {
            if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        log_once().log(LogLevel::error, "internal", thread_role_name(role),
                       std::string("internal error caught at the thread's boundary, continuing: ") + what);
    } catch (...) {  // no memory to say it: the count above still tells
    }
}

std::uint64_t internal_errors(ThreadRole role) noexcept
{
    return counts[static_cast<std::size_t>(role)].load(std::memory_order_relaxed);
}

}  // namespace util
