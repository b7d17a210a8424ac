// One open libvirt connection and everything registered on it (close callback, domain event
// callbacks), plus what we learned about its driver, the domain handles of the last listing and how
// long its calls have waited for an answer (answer_watch.hpp: the exporter's keepalive).
// Private to src/virt. Connection holds the current one in a shared_ptr: a call in flight keeps its
// LiveConnection (and so its virConnectPtr) alive while a reconnect swaps in a new one; the last owner
// deregisters the callbacks and closes the connection (and its helper connections, if any).
//
// Thread-safety: all members may be used from several threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "virt/answer_watch.hpp"
#include "virt/connection.hpp"
#include "virt/handles.hpp"

namespace virt::detail {

// Where libvirt's callbacks are forwarded. libvirt may run a callback on the event-loop thread while
// another thread deregisters it, so callbacks reach the Connection only through this relay, and
// detach() (which waits for a callback in progress) guarantees none reaches it afterwards.
class CallbackRelay {
public:
    using CloseHandler = std::function<void(std::uint64_t generation, const std::string& reason)>;
    void attach(Connection::EventHandler on_event, CloseHandler on_close);
    void detach();
    void domain_event(const std::string& uuid, DomainEventKind kind);
    void connection_closed(std::uint64_t generation, const std::string& reason);

private:
    std::mutex mu_;  // held while a handler runs
    Connection::EventHandler on_event_;
    CloseHandler on_close_;
};

// Per-connection memory of what the driver refused, so a refused call costs one attempt per
// connection and not one per scrape. A new connection (maybe to an upgraded daemon) starts afresh.
struct DriverQuirks {
    std::atomic<bool> nowait_refused{false};
    std::atomic<bool> block_stats_flags_unsupported{false};
    std::atomic<bool> block_info_unsupported{false};
    std::atomic<bool> vcpus_maximum_unsupported{false};
    std::atomic<int> host_cpus{0};  // the host's CPU count for cpumaps (placement_calls.cpp); 0: not asked yet
};

class HelperPool;    // helper_connections.hpp
struct CallbackBox;  // what libvirt holds as a callback's opaque pointer (live_connection.cpp)

// Opens options.uri read-only (or with libvirt's default authentication), as every connection of the
// exporter is opened: the main one and the helpers of a split collection. Without libvirt's keepalive
// (answer_watch.hpp says why). Throws virt::Error when the connection cannot be opened.
ConnectPtr open_connection(const ConnectionOptions& options);

// One domain handle shared by the calls in flight on it; the last owner frees it (virDomainFree).
using SharedDomain = std::shared_ptr<virDomain>;

class LiveConnection {
public:
    // Opens and registers the callbacks; throws virt::Error when the connection cannot be opened.
    // Failing to register a callback is logged and tolerated.
    LiveConnection(const ConnectionOptions& options, std::uint64_t generation, std::shared_ptr<CallbackRelay> relay);
    ~LiveConnection();
    LiveConnection(const LiveConnection&) = delete;
    LiveConnection& operator=(const LiveConnection&) = delete;

    virConnectPtr get() const noexcept { return conn_.get(); }
    std::uint64_t generation() const noexcept { return generation_; }
    // Read once when the connection was opened; a version libvirt would not give stays empty.
    const LibvirtVersions& versions() const noexcept { return versions_; }
    DriverQuirks& quirks() noexcept { return quirks_; }
    // The helper connections of a split collection (none when parallel is 1); they share quirks().
    HelperPool& helpers() noexcept { return *helpers_; }
    // The calls on this connection (its helpers' included) waiting for libvirtd.
    AnswerWatch& answers() noexcept { return answers_; }

    // Replaces the uuid → domain handle map with the domains of a fresh listing.
    void remember_domains(std::unordered_map<std::string, SharedDomain> domains);
    // A share of the handle for `domain`: from the last listing, else looked up by UUID (and kept).
    // Shared, not a libvirt reference of its own: virDomainRef and virDomainFree each format the UUID
    // for libvirt's debug log, and the fill-in makes ~13 calls per domain. The handle outlives a
    // listing that replaces it while a call still holds it. Throws virt::Error (no_domain when gone).
    SharedDomain domain(const DomainRef& domain);

private:
    void register_callbacks();
    void deregister_callbacks() noexcept;

    ConnectPtr conn_;
    std::uint64_t generation_;
    LibvirtVersions versions_;
    std::shared_ptr<CallbackRelay> relay_;
    std::vector<int> event_callback_ids_;
    // Ours, not libvirt's: drivers without close callbacks accept the registration as a no-op and
    // would never call a free function. Freed after unregistering, which waits for a running callback.
    std::unique_ptr<CallbackBox> close_box_;
    DriverQuirks quirks_;
    AnswerWatch answers_;
    std::unique_ptr<HelperPool> helpers_;  // closed before conn_
    std::mutex domains_mu_;
    std::unordered_map<std::string, SharedDomain> domains_;
};

}  // namespace virt::detail
