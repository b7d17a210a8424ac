// virDomainGetJobStats under a time bound. In QEMU's driver the call takes the domain's job lock and
// asks the monitor while a job runs; behind a QEMU that stopped answering (or a job holding the lock)
// it blocks for as long as that lasts. So each call runs on a thread of its own and the collection waits
// for it only until its deadline: a call still unanswered then is `busy` (libvirt_domain_timed_out 1),
// and no second call is made for that domain while the first is still in flight, so a frozen guest
// costs one waiting thread, not one per collection.
//
// Ownership: borrows the DomainSource and Clock (they must outlive it); owns the call threads.
// Thread-safety: every method may be called from several collecting threads at once.
// Throws: get() and the destructor throw nothing; the constructor nothing either.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "util/clock.hpp"
#include "virt/domain_source.hpp"

namespace collect {

enum class JobCallOutcome {
    answered,     // `stats` holds the answer (type 0: no job)
    busy,         // not answered by the deadline, or refused with ErrorKind::busy
    unsupported,  // the driver lacks the call (remembered per connection: no call is made again)
    vanished,     // the domain went away
    failed,       // another error (`error` says which)
};

struct JobCallResult {
    JobCallOutcome outcome = JobCallOutcome::answered;
    virt::JobStats stats;
    std::string error;
};

class JobCalls {
public:
    JobCalls(virt::DomainSource& source, const util::Clock& clock) : source_(source), clock_(clock) {}
    // Waits for the calls still in flight (as the snapshot store waits for a hung collection).
    ~JobCalls();
    JobCalls(const JobCalls&) = delete;
    JobCalls& operator=(const JobCalls&) = delete;

    // `domain`'s current job, waiting at most until `until` (the clock's time).
    JobCallResult get(const virt::DomainRef& domain, std::chrono::steady_clock::time_point until) noexcept;
    // Whether the last answer for this domain (by UUID) was a running job.
    bool had_job(const std::string& uuid) const;
    // Forgets the jobs of domains not in `uuids` (the domains of the last listing): a domain destroyed or
    // undefined during its job leaves nothing behind.
    void retain_only(const std::vector<std::string>& uuids);

private:
    struct Call {
        std::thread thread;
        bool done = false;  // guarded by mu_
        JobCallResult result;
    };
    void run(const virt::DomainRef& domain, Call& call) noexcept;
    void remember(const std::string& uuid, const JobCallResult& result);

    virt::DomainSource& source_;
    const util::Clock& clock_;
    // The connection generation on which the driver refused the call (none yet: the largest value).
    std::atomic<std::uint64_t> unsupported_on_{std::numeric_limits<std::uint64_t>::max()};
    mutable std::mutex mu_;
    std::condition_variable answered_;
    std::map<std::string, std::unique_ptr<Call>> calls_;  // by UUID: answered ones wait here to be joined
    std::set<std::string> with_job_;
};

}  // namespace collect
