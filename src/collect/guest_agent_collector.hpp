// Guest filesystems through the QEMU guest agent (virDomainGetGuestInfo, FILESYSTEMS), collected on a
// thread of its own so an agent that never answers, or a QEMU that hangs on it, never delays the domain
// families: /metrics and the push read the collector's last answers (snapshot()), never wait.
//
// `source` is the guest agent's own read-write connection (libvirt.guest_agent.enabled opens it; the main
// one stays read-only). Every `interval` one round lists the domains there (virConnectListAllDomains) and
// hands each running one the filter keeps to a small pool of workers, which ask it for its filesystems,
// unless that domain is backing off: after `failures` calls in a row that failed (no agent, a frozen one,
// an agent-less driver) it is asked again only after min(2^(failures-1), max_backoff_rounds) rounds. So a
// domain costs at most one call per interval, fewer while its agent does not answer. libvirt ends a call
// to an agent that does not answer at all (5 s in QEMU's driver), but not one to an agent that hangs
// inside the query (an fsinfo on a stale NFS mount in the guest): such a call holds one worker until it
// returns, and its domain is not asked again while it is out (never two calls for one domain); the other
// workers go on with the other domains. The values are served from the last answer with its age; a
// domain that stops running or vanishes is dropped.
//
// Ownership: borrows the DomainSource and Clock, which must outlive it; owns the round thread and the
// workers, which stop() (and the destructor) joins: a call still hanging holds stop() as long (the
// daemon's shutdown deadline bounds that). Thread-safety: snapshot() from any thread; start()/stop() from
// one. collect_round() runs a round with its calls on the calling thread (tests; not beside start()).
// Throws: start() throws std::system_error if a thread cannot be made; nothing else.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

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
    // Agent calls out at once: how many guests whose agent hangs inside a query the others can live beside.
    static constexpr unsigned worker_count = 4;

    GuestAgentCollector(virt::DomainSource& source, const util::Clock& clock, GuestAgentCollectorOptions options);
    ~GuestAgentCollector();
    GuestAgentCollector(const GuestAgentCollector&) = delete;
    GuestAgentCollector& operator=(const GuestAgentCollector&) = delete;

    void start();
    void stop() noexcept;  // idempotent

    // One round, its calls made one after the other on the calling thread.
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

    // A round on the round thread: the due domains go to the workers; returns the wait from its start to the next.
    std::chrono::milliseconds round() noexcept;
    // Starts round number ++round_ and returns the domains due in it, each marked as asked (in out_).
    std::vector<virt::DomainRef> list_round(std::uint64_t& round);
    // One call for a domain still listed, and record(); nothing escapes.
    void ask(const virt::DomainRef& domain, std::uint64_t round) noexcept;
    // The call's outcome into the domain's entry (answer, or failure and backoff); clears its mark in out_.
    void record(const virt::DomainRef& domain, std::uint64_t round, std::vector<GuestFilesystem> filesystems,
                const std::string& error);
    void work() noexcept;  // a worker: asks the queued domains until stop()

    virt::DomainSource& source_;
    const util::Clock& clock_;
    const GuestAgentCollectorOptions options_;
    util::LogOnce log_once_;

    mutable std::mutex mu_;                 // guards everything below but workers_ and rounds_
    std::condition_variable queued_;        // a domain was queued, or stop()
    std::map<std::string, Entry> entries_;  // by uuid
    // Domains queued for a worker or in a call (by uuid; kept when the listing drops the domain, so that a
    // domain coming back is not asked beside a call that still hangs).
    std::set<std::string> out_;
    std::deque<std::pair<virt::DomainRef, std::uint64_t>> queue_;  // with the round that queued it
    std::uint64_t round_ = 0;
    bool listed_ = false;    // the last round's listing answered (else the next round comes sooner)
    bool stopping_ = false;  // the workers end
    std::vector<std::thread> workers_;
    util::RoundThread rounds_;  // last: its thread stops before the members it uses go
};

}  // namespace collect
