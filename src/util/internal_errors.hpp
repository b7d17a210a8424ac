// The last line of defence of every long-lived thread: what escapes a loop's own error handling (a bug,
// an exception nobody expected) is caught at the thread's boundary, counted per thread, logged once per
// distinct message, and the loop goes on. Nothing escapes a thread, so nothing calls std::terminate.
// Exposed as virt_exporter_internal_errors_total{thread}.
//
// Thread-safety: every function may be called from any thread. Throws: nothing.
#pragma once

#include <array>
#include <cstdint>
#include <exception>
#include <string_view>

namespace util {

enum class ThreadRole {
    push_collector,     // influx::Pusher: snapshot -> lines
    push_sender,        // influx::Pusher: batches -> server
    libvirt_events,     // virt: libvirt's event loop
    libvirt_reconnect,  // virt: the reconnect loop
    collection,         // collect: collections (and their split shares)
    http,               // http: CivetWeb's workers, in our handlers
};
inline constexpr std::array thread_roles{ThreadRole::push_collector, ThreadRole::push_sender,
                                         ThreadRole::libvirt_events, ThreadRole::libvirt_reconnect,
                                         ThreadRole::collection,     ThreadRole::http};

const char* thread_role_name(ThreadRole role) noexcept;

// Counts one error of `role` and logs `error`'s message once (again only when it changes).
void count_internal_error(ThreadRole role, const std::exception_ptr& error) noexcept;
std::uint64_t internal_errors(ThreadRole role) noexcept;

}  // namespace util
