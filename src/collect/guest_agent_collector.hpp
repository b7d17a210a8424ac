// Guest filesystems through the QEMU guest agent (virDomainGetGuestInfo, FILESYSTEMS), collected on a
// thread of its own so an agent that never answers, or a QEMU that hangs on it, never delays the domain
// families: /metrics and the push read the collector's last answers (snapshot()), never wait.
//
// `source` is the guest agent's own read-write connection (libvirt.guest_agent.enabled opens it; the main
// one stays read-only). Every `interval` one round lists the domains there (virConnectListAllDomains) and
// asks each running one the filter keeps for its filesystems, unless that domain is backing off: after
// `failures` calls in a row that failed (no agent, a frozen one, an agent-less driver) it is asked again
// only after min(2^(failures-1), max_backoff_rounds) rounds. So a domain costs at most one call per
// interval, fewer while its agent does not answer. A call that hangs blocks only this thread: the next
// round starts when it returns (never a second thread beside it); libvirt's own agent timeout (5 s in
// QEMU's driver by default) usually ends it first. The values are served from the last answer with its
// age; a domain that stops running or vanishes is dropped.
//
// Ownership: borrows the DomainSource and Clock, which must outlive it. Thread-safety: snapshot() from any
// thread; start()/stop() from one. collect_round() runs a round on the calling thread (tests; not beside
// start()). Throws: start() throws std::system_error if the thread cannot be made; nothing else.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "collect/domain_filter.hpp"
#include "collect/guest_agent_sample.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"
#include "util/round_thread.hpp"
#include "virt/domain_source.hpp"

namespace collect {

struct GuestAgentCollectorOptions {
    std::chrono::milliseconds interval;  // libvirt.guest_agent.interval: from one round's start to the next
    DomainFilter filter;                 // libvirt.domains: which domains are asked
};

class GuestAgentCollector {
public:
    // How soon a round follows one that could not list the domains (no connection yet, or the listing
    // failed), when that is sooner than the interval.
    static constexpr std::chrono::milliseconds retry_interval{1000};
    // The longest a domain whose agent does not answer waits, in rounds.
    static constexpr unsigned max_backoff_rounds = 8;

    GuestAgentCollector(virt::DomainSource& source, const util::Clock& clock, GuestAgentCollectorOptions options);
    ~GuestAgentCollector();
    GuestAgentCollector(const GuestAgentCollector&) = delete;
    GuestAgentCollector& operator=(const GuestAgentCollector&) = delete;

    void start();
    void stop() noexcept;  // idempotent

    // One round on the calling thread.
    void collect_round() noexcept;
    // The domains' last answers, ages judged at the clock's now(); enabled is true.
    GuestAgentSnapshot snapshot() const;

private:
    struct Entry {
        std::string name;
        bool up = false;
        std::optional<std::chrono::steady_clock::time_point> answered_at;
        std::vector<GuestFilesystem> filesystems;
        unsigned failures = 0;         // calls in a row that failed
        std::uint64_t next_round = 0;  // the first round that asks again
    };

    std::chrono::milliseconds round() noexcept;                    // a round, and the wait from its start to the next
    std::vector<virt::DomainRef> list_round(std::uint64_t round);  // the domains due this round
    void ask(const virt::DomainRef& domain, std::uint64_t round);

    virt::DomainSource& source_;
    const util::Clock& clock_;
    const GuestAgentCollectorOptions options_;
    util::LogOnce log_once_;

    mutable std::mutex mu_;                 // guards everything below but rounds_
    std::map<std::string, Entry> entries_;  // by uuid
    std::uint64_t round_ = 0;
    bool listed_ = false;       // the last round's listing answered (else the next round comes sooner)
    util::RoundThread rounds_;  // last: its thread stops before the members it uses go
};

}  // namespace collect
