// How long libvirtd has left the calls on one connection unanswered: the exporter's own keepalive.
//
// Why not libvirt's (virConnectSetKeepAlive): libvirt 9.0's RPC client (Debian 12) leaves a socket
// watch that points into a returned stack frame when keepalive closes a connection while two threads
// wait on it, and the thread it passes the connection to then runs that watch once libvirtd answers
// (a crash under ASan, silent stack corruption without). Every connection of the exporter is used by
// several threads at once (scrape and push collections, the one beside a hung one, storage pools,
// jobs), so libvirt's keepalive is left off and Connection's reconnect thread asks this watch instead.
//
// Ownership: one per LiveConnection. Thread-safety: every member may be called from any thread.
// Nothing throws.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>

#include "util/clock.hpp"

namespace virt::detail {

class AnswerWatch {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // A call on the connection starts or returns (with an answer or an error: either way libvirtd or
    // the socket said something).
    void started(TimePoint now) noexcept;
    void finished(TimePoint now) noexcept;

    // How long calls have been waiting with none answered: zero while no call is in flight, else the time
    // since the last answer or since the first call of the current wait started, whichever is later.
    std::chrono::steady_clock::duration unanswered_for(TimePoint now) const noexcept;

private:
    mutable std::mutex mu_;
    std::size_t in_flight_ = 0;
    TimePoint waiting_since_{};
};

// Marks one call in flight on `watch` for as long as it lives; both borrowed, they must outlive it.
class CallInFlight {
public:
    CallInFlight(AnswerWatch& watch, const util::Clock& clock) noexcept : watch_(watch), clock_(clock)
    {
        watch_.started(clock_.now());
    }
    ~CallInFlight() { watch_.finished(clock_.now()); }
    CallInFlight(const CallInFlight&) = delete;
    CallInFlight& operator=(const CallInFlight&) = delete;

private:
    AnswerWatch& watch_;
    const util::Clock& clock_;
};

}  // namespace virt::detail
