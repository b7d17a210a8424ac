// virt::Connection: the one persistent libvirt connection of the daemon, and the DomainSource
// everything else reads domains through. Owned by the virt library; the app creates one, sets its
// handlers, start()s it and stop()s it at shutdown. No libvirt header here (pimpl).
//
// Lifetime: start() returns at once; a background thread connects and reconnects with capped
// exponential backoff and jitter, so the daemon serves /metrics (libvirt_up 0) while libvirt is down.
// libvirt's event loop runs in its own thread (shared by all Connections of the process), so the close
// callback and domain events work; the reconnect thread also drops a connection whose calls libvirtd
// leaves unanswered (the keepalive options). stop() (also run by the destructor) stops reconnecting,
// deregisters the callbacks, closes the connection and ends the event-loop thread. A Connection is
// started at most once.
//
// Threads: the DomainSource methods may be called concurrently from any thread (scrapes, the push
// loop). A call in flight keeps its connection alive even while a reconnect replaces it. They throw
// virt::Error; ErrorKind::disconnected when there is no connection (and a call failing that way makes
// the reconnect thread try again at once).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "util/clock.hpp"

namespace instr {
class Instruments;
}
#include "virt/domain_source.hpp"

namespace virt {

// The libvirt domain events that make cached domain data (devices, metadata) stale.
enum class DomainEventKind {
    lifecycle,         // VIR_DOMAIN_EVENT_ID_LIFECYCLE: defined, started, stopped, undefined, ...
    device_added,      // VIR_DOMAIN_EVENT_ID_DEVICE_ADDED
    device_removed,    // VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED
    metadata_changed,  // VIR_DOMAIN_EVENT_ID_METADATA_CHANGE
};
std::string_view domain_event_kind_name(DomainEventKind kind) noexcept;

// What the connections are opened with. No defaults here: the configuration's (config::LibvirtConfig)
// are the only ones, and the app builds this from them in one place; give every member.
struct ConnectionOptions {
    std::string uri;
    // virConnectOpenReadOnly: the exporter cannot change a VM. false: virConnectOpenAuth with libvirt's
    // default authentication callback (needed only where the read-only socket is not offered).
    bool read_only;
    // Ask the bulk call not to wait for domains in a job; dropped per connection if the driver refuses.
    bool nowait;
    // The exporter's keepalive (answer_watch.hpp, not libvirt's): a connection whose calls have waited
    // interval * count (count at least 1) with no answer is dropped and a new one opened. An interval
    // of 0 disables it.
    std::chrono::seconds keepalive_interval;
    unsigned keepalive_count;
    // Delay before reconnect attempt n (n >= 1): see util::backoff_delay.
    std::chrono::milliseconds reconnect_backoff_min;
    std::chrono::milliseconds reconnect_backoff_max;
    // Connections one collection is split over (libvirt.parallel). 1: one virConnectGetAllDomainStats.
    // N > 1: the domains are listed once and cut into N shares, each collected with
    // virDomainListGetStats on its own connection and thread at the same time (split_stats.hpp); the
    // N-1 extra connections are opened on first use and replaced together with the main one.
    unsigned parallel;
};

class Connection final : public DomainSource {
public:
    // Called on the libvirt event-loop thread for every domain event: keep it quick, do not block on
    // libvirt calls of your own there and never call stop() from it. `uuid` is the domain's UUID string.
    using EventHandler = std::function<void(const std::string& uuid, DomainEventKind kind)>;
    // Called on the reconnect thread after each successful (re)connect, with the new generation(),
    // e.g. to clear caches that may be stale for a restarted daemon.
    using ConnectedHandler = std::function<void(std::uint64_t generation)>;

    // `clock` times the backoff waits (so tests can drive them); it must outlive the Connection.
    explicit Connection(ConnectionOptions options, const util::Clock& clock = util::SystemClock::instance());
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Set before start(); not synchronised with running callbacks.
    void set_event_handler(EventHandler handler);
    void set_connected_handler(ConnectedHandler handler);
    // Where the DomainSource calls are counted by libvirt API (virt_exporter_libvirt_calls_total); null:
    // not counted. Borrowed: it must outlive the Connection. Set before start().
    void set_instruments(instr::Instruments* instruments);

    // Starts the event loop and the connect thread; returns without waiting for libvirt.
    // Throws virt::Error if libvirt's event loop cannot be registered, std::logic_error after stop().
    void start();
    // Idempotent, noexcept. Waits for a connect attempt in progress (quick for local sockets; an
    // ssh/tls connect can take as long as its own timeout).
    void stop() noexcept;

    // Blocks until connected or `timeout` passes (for --once and tests); true when connected.
    bool wait_connected(std::chrono::milliseconds timeout) const;
    // The last connect or connection error message ("" when none since the last connect).
    std::string last_error() const;
    const std::string& uri() const noexcept;

    // DomainSource (see domain_source.hpp); implemented in libvirt_domain_source.cpp.
    std::uint64_t generation() const noexcept override;
    bool connected() const noexcept override;
    LibvirtVersions versions() const override;
    std::vector<DomainStatsRecord> all_domain_stats(unsigned groups) override;
    std::vector<DomainRef> list_domains() override;
    std::vector<DomainStatsRecord> domain_stats(const std::vector<DomainRef>& domains, unsigned groups) override;
    std::string domain_xml(const DomainRef& domain) override;
    std::vector<TypedParam> domain_info(const DomainRef& domain) override;
    std::vector<TypedParam> domain_state(const DomainRef& domain) override;
    std::vector<TypedParam> cpu_stats(const DomainRef& domain) override;
    std::vector<TypedParam> vcpu_stats(const DomainRef& domain) override;
    std::vector<TypedParam> memory_stats(const DomainRef& domain) override;
    std::vector<TypedParam> interface_stats(const DomainRef& domain, const std::string& dev) override;
    std::vector<TypedParam> block_stats(const DomainRef& domain, const std::string& dev) override;
    std::vector<StoragePoolRef> list_storage_pools() override;
    StoragePoolInfo storage_pool_info(const StoragePoolRef& pool) override;
    std::string storage_pool_xml(const StoragePoolRef& pool) override;
    JobStats job_stats(const DomainRef& domain) override;
    std::vector<TypedParam> guest_filesystems(const DomainRef& domain) override;
    std::vector<VcpuPlacement> vcpu_placement(const DomainRef& domain) override;
    std::vector<TypedParam> block_iotune(const DomainRef& domain, const std::string& dev) override;

    struct Impl;  // connection_impl.hpp

private:
    friend struct ConnectionTestAccess;  // the unit tests' way in (tests/support), never defined in src
    std::unique_ptr<Impl> impl_;
};

}  // namespace virt
