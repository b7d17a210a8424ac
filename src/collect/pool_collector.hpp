// Storage pools, collected on their own thread and deadline so a pool backend that stops answering (an
// NFS or RBD pool whose storage hangs, and with it libvirt's pool lock) never delays or stales the
// domain families: /metrics and the push read the collector's last answers (snapshot()), never wait.
//
// Every `interval` one round lists the pools (virConnectListAllStoragePools; after a round that could not
// list them, no connection yet or a failed listing, the next comes within retry_interval), then asks each
// for virStoragePoolGetInfo, and for its XML (type, target path, uuid; virStoragePoolGetXMLDesc) when the
// cached definition is older than `xml_ttl` or the pool's state changed (a redefined pool takes effect
// when it is restarted). The XML is cached per pool UUID because it changes only with a redefinition:
// one XML call per pool per TTL instead of per round. Each answer is stored as it comes in, so a pool
// that hangs holds up only itself and the pools after it in that round: those answered this round stay
// fresh, the rest are served with their previous answer and timed_out once the round has run longer
// than `timeout`. A pool whose info call fails is left out and counted (PoolSnapshot::failed).
//
// One thread, whatever happens: a call that never returns blocks the next round, it does not start
// another thread beside it. stop() joins the thread, so it waits for a call in flight (as the domain
// collections' SnapshotStore does).
//
// Ownership: borrows the DomainSource and Clock, which must outlive it. Thread-safety: snapshot() from
// any thread; start()/stop() from one. collect_round() runs a round on the calling thread (tests; not
// beside start()). Throws: start() throws std::system_error if the thread cannot be made; nothing else.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "collect/pool_sample.hpp"
#include "collect/pool_xml.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"
#include "util/round_thread.hpp"
#include "virt/domain_source.hpp"

namespace collect {

struct PoolCollectorOptions {
    std::chrono::milliseconds interval;  // libvirt.storage_pools_interval: from one round's start to the next
    std::chrono::milliseconds timeout;   // libvirt.timeout: a pool unanswered this long into a round timed out
    std::chrono::milliseconds xml_ttl;   // libvirt.device_cache_ttl: how long a pool's parsed XML is reused
};

class PoolCollector {
public:
    // How soon a round follows one that could not list the pools (no connection yet, or the listing
    // failed), when that is sooner than the interval.
    static constexpr std::chrono::milliseconds retry_interval{1000};

    PoolCollector(virt::DomainSource& source, const util::Clock& clock, PoolCollectorOptions options);
    ~PoolCollector();
    PoolCollector(const PoolCollector&) = delete;
    PoolCollector& operator=(const PoolCollector&) = delete;

    void start();
    void stop() noexcept;  // idempotent

    // One round on the calling thread.
    void collect_round() noexcept;
    // The pools as last answered, timed_out judged at the clock's now(); enabled is true.
    PoolSnapshot snapshot() const;

private:
    struct Entry {
        PoolSample sample;
        std::uint64_t answered_round = 0;  // 0: never answered
    };
    struct CachedXml {
        PoolDefinition definition;  // type and path empty when the XML could not be parsed
        int state = 0;              // the pool's state when it was read
        std::chrono::steady_clock::time_point read_at;
    };

    std::chrono::milliseconds round() noexcept;  // a round, and the wait from its start to the next
    bool list_round();                           // false: no pool to ask
    void ask_pool(const virt::StoragePoolRef& ref, std::uint64_t round, unsigned& failed);
    const PoolDefinition& definition(const virt::StoragePoolRef& ref, int state);
    void end_round(unsigned failed);

    virt::DomainSource& source_;
    const util::Clock& clock_;
    const PoolCollectorOptions options_;
    util::LogOnce log_once_;
    std::map<std::string, CachedXml> xml_;  // by uuid; only the round's thread uses it

    mutable std::mutex mu_;                 // guards everything below but rounds_
    std::map<std::string, Entry> entries_;  // by uuid
    std::uint64_t round_ = 0;
    bool in_round_ = false;
    std::chrono::steady_clock::time_point round_started_{};
    unsigned failed_ = 0;
    bool listed_ = false;       // the last round's listing answered (else the next round comes sooner)
    util::RoundThread rounds_;  // last: its thread stops before the members it uses go
};

}  // namespace collect
