// The inside of virt::Connection, shared by connection.cpp (lifetime: event loop, connect and
// reconnect thread) and libvirt_domain_source.cpp (the DomainSource calls). Private to src/virt.
//
// Threads: the reconnect thread owns connecting and watches the calls for answers (the exporter's
// keepalive); the event-loop thread reports a closed connection through connection_lost(); any thread
// may call current_or_throw() and connection_lost().
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "util/log.hpp"
#include "virt/connection.hpp"
#include "virt/event_loop.hpp"
#include "virt/live_connection.hpp"

namespace virt {

struct Connection::Impl {
    Impl(ConnectionOptions opts, const util::Clock& c) : options(std::move(opts)), clock(c) {}

    // The connection to use for one call; throws Error{disconnected} when there is none.
    std::shared_ptr<detail::LiveConnection> current_or_throw() const;
    // The connection of `generation` is unusable (close callback, or a call failed with
    // ErrorKind::disconnected): mark it and wake the reconnect thread, which drops it. It is not
    // dropped here because this may run inside libvirt's close callback, where deregistering would
    // deadlock. Stale generations are ignored.
    void connection_lost(std::uint64_t generation, const std::string& why);

    void start();
    void stop() noexcept;
    void reconnect_loop() noexcept;
    // While connected: waits about a second (or until woken) and reports the connection lost when its
    // calls have waited for an answer longer than keepalive_interval x keepalive_count. `lock` holds mu.
    void watch_answers(std::unique_lock<std::mutex>& lock);
    // One connect attempt; true when a new connection is in place.
    bool try_connect() noexcept;
    void notify_connected(std::uint64_t generation) noexcept;
    // Waits until `delay` has passed on `clock` or stop() is called; `lock` holds mu.
    void wait_backoff(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds delay);

    const ConnectionOptions options;
    const util::Clock& clock;
    EventHandler event_handler;                 // set before start()
    ConnectedHandler connected_handler;         // set before start()
    instr::Instruments* instruments = nullptr;  // set before start(); may be null
    util::LogOnce log_once;

    std::shared_ptr<detail::CallbackRelay> relay = std::make_shared<detail::CallbackRelay>();
    std::unique_ptr<detail::EventLoopLease> loop;
    std::thread reconnect_thread;

    // Guarded by mu; the atomics are also read without it.
    mutable std::mutex mu;
    mutable std::condition_variable cv;  // state changes: connected, lost, stopping
    std::shared_ptr<detail::LiveConnection> live;
    bool reconnect_requested = false;  // live is unusable; the reconnect thread replaces it
    std::string last_error;
    bool started = false;
    bool stopping = false;
    std::atomic<std::uint64_t> generation{0};
    std::atomic<bool> connected{false};
    std::atomic<std::uint64_t> connect_attempts{0};  // successful or not
};

}  // namespace virt
