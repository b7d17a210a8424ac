// The collection side of the daemon, wired once: the libvirt connection, the device cache it
// invalidates on domain events, the sampler and the single-flight snapshot store. Both sinks (/metrics
// and the InfluxDB push) read from store(); --once uses it for one collection.
//
// Ownership: owns everything it creates and borrows `instruments` (the daemon's own instrumentation,
// owned by run_daemon; null: nothing recorded), which must outlive it; members are destroyed in reverse order of
// construction (pools and store before sampler before cache before connection), after stop(). Thread-safety:
// start()/stop()/set_ttl() from the main thread; the accessors return thread-safe objects. Throws: only what creating
// the components throws (std::bad_alloc, std::system_error for a thread); every setting was checked by config::load(),
// so nothing here is a configuration error.
#pragma once

#include <memory>

#include "collect/device_cache.hpp"
#include "collect/guest_agent_collector.hpp"
#include "collect/pool_collector.hpp"
#include "collect/sampler.hpp"
#include "collect/snapshot_store.hpp"
#include "config/config.hpp"
#include "util/clock.hpp"
#include "virt/connection.hpp"

namespace instr {
class Instruments;
}

namespace app {

class Pipeline {
public:
    Pipeline(const config::Config& config, const util::Clock& clock, instr::Instruments* instruments = nullptr);
    ~Pipeline();

    void start();          // starts connecting (does not wait for libvirt)
    void stop() noexcept;  // stops collections, then the connection

    virt::Connection& connection() { return *connection_; }
    collect::DeviceCache& cache() { return *cache_; }
    collect::SnapshotStore& store() { return *store_; }
    // The storage-pool collector (its own thread); null when libvirt.storage_pools is off.
    collect::PoolCollector* pools() { return pools_.get(); }
    // The guest agent collector (its own thread and its own read-write connection); null when
    // libvirt.guest_agent.enabled is off.
    collect::GuestAgentCollector* guests() { return guests_.get(); }

private:
    std::unique_ptr<virt::Connection> connection_;
    std::unique_ptr<collect::DeviceCache> cache_;
    std::unique_ptr<collect::Sampler> sampler_;
    std::unique_ptr<collect::SnapshotStore> store_;
    std::unique_ptr<collect::PoolCollector> pools_;
    std::unique_ptr<virt::Connection> agent_connection_;  // read-write; only with libvirt.guest_agent.enabled
    std::unique_ptr<collect::GuestAgentCollector> guests_;
};

// The connection settings of config.libvirt, the one place they cross into virt.
virt::ConnectionOptions connection_options(const config::LibvirtConfig& libvirt);

}  // namespace app
