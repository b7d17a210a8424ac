#include "collect/job_calls.hpp"

#include <algorithm>

#include "util/error_chain.hpp"

namespace collect {

JobCalls::~JobCalls()
{
    std::map<std::string, std::unique_ptr<Call>> calls;
    {
        std::lock_guard lock(mu_);
        calls.swap(calls_);
    }
    for (auto& [uuid, call] : calls)
        if (call->thread.joinable()) call->thread.join();
}

void JobCalls::run(const virt::DomainRef& domain, Call& call) noexcept
{
    JobCallResult result;
    try {
        result.stats = source_.job_stats(domain);
    } catch (const virt::Error& e) {
        result.error = e.what();
        switch (e.kind()) {
        case virt::ErrorKind::unsupported: result.outcome = JobCallOutcome::unsupported; break;
        case virt::ErrorKind::no_domain: result.outcome = JobCallOutcome::vanished; break;
        case virt::ErrorKind::busy: result.outcome = JobCallOutcome::busy; break;
        default: result.outcome = JobCallOutcome::failed; break;
        }
    } catch (...) {
        result.outcome = JobCallOutcome::failed;
        result.error = "virDomainGetJobStats(" + domain.name + "): " + util::current_error_chain();
    }
    std::lock_guard lock(mu_);
    call.result = std::move(result);
    call.done = true;
    answered_.notify_all();
}

void JobCalls::remember(const std::string& uuid, const JobCallResult& result)
{
    if (result.outcome == JobCallOutcome::answered && result.stats.type != 0)
        with_job_.insert(uuid);
    else if (result.outcome != JobCallOutcome::busy)
        with_job_.erase(uuid);
}

JobCallResult JobCalls::get(const virt::DomainRef& domain, std::chrono::steady_clock::time_point until) noexcept
{
    const auto generation = source_.generation();
    if (unsupported_on_ == generation) return {JobCallOutcome::unsupported, {}, {}};
    std::vector<std::thread> finished;  // joined outside the lock
    JobCallResult out{JobCallOutcome::busy, {}, {}};
    try {
        std::unique_lock lock(mu_);
        // Calls answered after their collection gave up on them: their threads are done, join them.
        for (auto it = calls_.begin(); it != calls_.end();) {
            if (it->second->done && it->first != domain.uuid) {
                finished.push_back(std::move(it->second->thread));
                it = calls_.erase(it);
            } else {
                ++it;
            }
        }
        auto [it, fresh] = calls_.try_emplace(domain.uuid);
        if (!fresh && !it->second->done) {
            out.error = "virDomainGetJobStats(" + domain.name + "): an earlier call is still waiting for the domain";
            return out;  // the finished threads are joined on the way out
        }
        if (!fresh) finished.push_back(std::move(it->second->thread));
        it->second = std::make_unique<Call>();
        Call& call = *it->second;
        call.thread = std::thread([this, domain, &call] { run(domain, call); });
        while (!call.done && clock_.now() < until) clock_.wait_until(answered_, lock, until);
        if (call.done) {
            out = std::move(call.result);
            finished.push_back(std::move(call.thread));
            calls_.erase(domain.uuid);
            remember(domain.uuid, out);
        } else {
            out.error = "virDomainGetJobStats(" + domain.name + "): no answer within the collection's deadline";
        }
    } catch (...) {
        // Thread creation or allocation failed: no call made, nothing learned.
        out = {JobCallOutcome::failed, {}, "virDomainGetJobStats(" + domain.name + "): " + util::current_error_chain()};
    }
    for (auto& t : finished)
        if (t.joinable()) t.join();
    if (out.outcome == JobCallOutcome::unsupported) unsupported_on_ = generation;
    return out;
}

bool JobCalls::had_job(const std::string& uuid) const
{
    std::lock_guard lock(mu_);
    return with_job_.contains(uuid);
}

void JobCalls::retain_only(const std::vector<std::string>& uuids)
{
    std::lock_guard lock(mu_);
    std::erase_if(with_job_,
                  [&](const std::string& uuid) { return std::find(uuids.begin(), uuids.end(), uuid) == uuids.end(); });
}

}  // namespace collect
