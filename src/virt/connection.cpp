// virt::Connection lifetime: event loop, connect/reconnect thread with backoff, loss detection.
// The DomainSource calls are in libvirt_domain_source.cpp.
#include "virt/connection.hpp"

#include "util/backoff.hpp"
#include "util/internal_errors.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "virt/connection_impl.hpp"
#include "virt/libvirt_error.hpp"

namespace virt {

std::string_view domain_event_kind_name(DomainEventKind kind) noexcept
{
    switch (kind) {
    case DomainEventKind::lifecycle: return "lifecycle";
    case DomainEventKind::device_added: return "device_added";
    case DomainEventKind::device_removed: return "device_removed";
    case DomainEventKind::metadata_changed: return "metadata_changed";
    }
    return "unknown";
}

// ---- Impl ----

std::shared_ptr<detail::LiveConnection> Connection::Impl::current_or_throw() const
{
    std::lock_guard lock(mu);
    if (!live || reconnect_requested)
        throw Error(ErrorKind::disconnected,
                    "not connected to libvirt at " + options.uri + (last_error.empty() ? "" : " (" + last_error + ")"));
    return live;
}

void Connection::Impl::connection_lost(std::uint64_t lost_generation, const std::string& why)
{
    {
        std::lock_guard lock(mu);
        if (!live || live->generation() != lost_generation || reconnect_requested) return;
        reconnect_requested = true;
        connected = false;
        last_error = why;
    }
    cv.notify_all();
    util::log_warn("virt", "lost the libvirt connection to " + options.uri + ": " + why + "; reconnecting");
}

void Connection::Impl::start()
{
    {
        std::lock_guard lock(mu);
        if (stopping) throw std::logic_error("virt::Connection::start() after stop()");
        if (started) return;
    }
    // Not under mu: the relay holds its mutex while a handler runs and the close handler takes mu
    // (relay, then mu), so attaching under mu would take them in the opposite order (TSan reported
    // the lock-order inversion). No connection exists yet, so no handler can run before this.
    relay->attach(event_handler, [this](std::uint64_t gen, const std::string& reason) {
        connection_lost(gen, "connection closed (" + reason + ")");
    });
    std::lock_guard lock(mu);
    if (stopping) throw std::logic_error("virt::Connection::start() after stop()");
    if (started) return;
    detail::init_libvirt();
    loop = std::make_unique<detail::EventLoopLease>();  // before connecting: events and the close callback need it
    reconnect_thread = std::thread(&Impl::reconnect_loop, this);
    started = true;
}

void Connection::Impl::stop() noexcept
{
    {
        std::lock_guard lock(mu);
        const bool was_running = started && !stopping;
        stopping = true;
        if (!was_running) return;
    }
    cv.notify_all();
    if (reconnect_thread.joinable()) reconnect_thread.join();
    relay->detach();  // from here on no libvirt callback reaches this object
    std::shared_ptr<detail::LiveConnection> old;
    {
        std::lock_guard lock(mu);
        old = std::move(live);
        connected = false;
    }
    old.reset();   // deregisters callbacks and closes, unless a call in flight still holds it
    loop.reset();  // ends the event-loop thread if no other Connection uses it
}

void Connection::Impl::reconnect_loop() noexcept
{
    std::mt19937_64 rng{std::random_device{}()};
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    unsigned failures = 0;
    std::unique_lock lock(mu);
    while (!stopping) {
        if (live && !reconnect_requested) {
            watch_answers(lock);
            continue;
        }
        // Drop the dead connection here, on our own thread and outside the lock.
        auto old = std::move(live);
        reconnect_requested = false;
        lock.unlock();
        old.reset();
        const bool ok = try_connect();
        lock.lock();
        if (ok) {
            failures = 0;
            continue;
        }
        wait_backoff(lock, util::backoff_delay(++failures, options.reconnect_backoff_min, options.reconnect_backoff_max,
                                               unit(rng)));
    }
}

void Connection::Impl::watch_answers(std::unique_lock<std::mutex>& lock)
{
    const auto wake = [&] { return stopping || reconnect_requested; };
    const auto budget = options.keepalive_interval * std::max(options.keepalive_count, 1u);
    if (budget.count() == 0) {
        cv.wait(lock, wake);
        return;
    }
    // Checked every second, or every tenth of the budget when that is shorter (50 ms at the least).
    const auto period = std::min<std::chrono::milliseconds>(std::chrono::seconds(1), budget / 10);
    if (cv.wait_for(lock, std::max(period, std::chrono::milliseconds(50)), wake) || !live) return;
    const auto silent = live->answers().unanswered_for(clock.now());
    if (silent < budget) return;
    const std::uint64_t gen = live->generation();
    lock.unlock();
    // The calls still waiting keep the old connection until libvirtd answers or drops them: libvirt
    // cannot cancel a call. They are bounded by the threads that make them (see snapshot_store.hpp).
    connection_lost(gen, "libvirtd answered no call for " +
                             std::to_string(std::chrono::duration_cast<std::chrono::seconds>(silent).count()) +
                             " s (libvirt.keepalive_interval x keepalive_count)");
    lock.lock();
}

bool Connection::Impl::try_connect() noexcept
{
    ++connect_attempts;
    const std::uint64_t next = generation.load() + 1;
    try {
        auto fresh = std::make_shared<detail::LiveConnection>(options, next, relay);
        {
            std::lock_guard lock(mu);
            live = std::move(fresh);
            generation = next;
            connected = true;
            last_error.clear();
        }
        cv.notify_all();
        log_once.clear("connect");
        util::log_info("virt", "connected to libvirt at " + options.uri + " (connection " + std::to_string(next) + ")");
        notify_connected(next);
        return true;
    } catch (const std::exception& e) {
        {
            std::lock_guard lock(mu);
            last_error = e.what();
        }
        // One line per distinct failure, not one per attempt while the daemon stays down.
        log_once.log(util::LogLevel::warn, "virt", "connect",
                     std::string("cannot connect to libvirt: ") + e.what() + "; retrying with backoff");
        return false;
    } catch (...) {  // not a libvirt error: a bug; the loop retries with backoff all the same
        util::count_internal_error(util::ThreadRole::libvirt_reconnect, std::current_exception());
        return false;
    }
}

void Connection::Impl::notify_connected(std::uint64_t gen) noexcept
{
    if (!connected_handler) return;
    try {
        connected_handler(gen);
    } catch (const std::exception& e) {
        util::log_warn("virt", std::string("connected handler failed: ") + e.what());
    } catch (...) {
        util::log_warn("virt", "connected handler failed");
    }
}

void Connection::Impl::wait_backoff(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds delay)
{
    // Poll the (possibly manual) clock in short slices; a condition variable only knows real time.
    const auto deadline = clock.now() + delay;
    while (!stopping) {
        const auto now = clock.now();
        if (now >= deadline) return;
        const auto slice =
            std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(200));
        cv.wait_for(lock, slice);
    }
}

// ---- Connection ----

Connection::Connection(ConnectionOptions options, const util::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock))
{
}

Connection::~Connection()
{
    stop();
}

void Connection::set_event_handler(EventHandler handler)
{
    impl_->event_handler = std::move(handler);
}
void Connection::set_instruments(instr::Instruments* instruments)
{
    impl_->instruments = instruments;
}

void Connection::set_connected_handler(ConnectedHandler handler)
{
    impl_->connected_handler = std::move(handler);
}
void Connection::start()
{
    impl_->start();
}
void Connection::stop() noexcept
{
    impl_->stop();
}

bool Connection::wait_connected(std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(impl_->mu);
    impl_->cv.wait_for(lock, timeout, [&] { return impl_->connected.load() || impl_->stopping; });
    return impl_->connected.load();
}

std::string Connection::last_error() const
{
    std::lock_guard lock(impl_->mu);
    return impl_->last_error;
}

const std::string& Connection::uri() const noexcept
{
    return impl_->options.uri;
}
std::uint64_t Connection::generation() const noexcept
{
    return impl_->generation.load();
}
bool Connection::connected() const noexcept
{
    return impl_->connected.load();
}

LibvirtVersions Connection::versions() const
{
    std::shared_ptr<detail::LiveConnection> live;
    {
        std::lock_guard lock(impl_->mu);
        live = impl_->live;
    }
    return live ? live->versions() : LibvirtVersions{};
}

}  // namespace virt
