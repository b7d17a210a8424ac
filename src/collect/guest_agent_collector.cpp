#include "collect/guest_agent_collector.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "util/internal_errors.hpp"

namespace collect {

GuestAgentCollector::GuestAgentCollector(virt::DomainSource& source, const util::Clock& clock,
                                         GuestAgentCollectorOptions options)
    : source_(source), clock_(clock), options_(std::move(options)), rounds_(clock, [this] { return round(); })
{
}

GuestAgentCollector::~GuestAgentCollector()
{
    stop();
}

void GuestAgentCollector::start()
{
    {
        std::lock_guard lock(mu_);
        if (!workers_.empty() || stopping_) return;
    }
    for (unsigned i = 0; i < worker_count; ++i) workers_.emplace_back(&GuestAgentCollector::work, this);
    rounds_.start();
}

void GuestAgentCollector::stop() noexcept
{
    rounds_.stop();
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        queue_.clear();
    }
    queued_.notify_all();
    for (auto& t : workers_)
        if (t.joinable()) t.join();
}

std::chrono::milliseconds GuestAgentCollector::round() noexcept
{
    try {
        std::uint64_t round = 0;
        auto due = list_round(round);
        {
            std::lock_guard lock(mu_);
            for (auto& d : due) queue_.emplace_back(std::move(d), round);
        }
        queued_.notify_all();
    } catch (...) {
        // Only allocation failure gets here; the round ends with what it has.
        util::count_internal_error(util::ThreadRole::collection, std::current_exception());
    }
    std::lock_guard lock(mu_);
    // The read-write connection opens after start: until it lists, rounds come every second.
    return listed_ ? options_.interval : std::min(options_.interval, retry_interval);
}

void GuestAgentCollector::collect_round() noexcept
{
    try {
        std::uint64_t round = 0;
        for (const auto& domain : list_round(round)) ask(domain, round);
    } catch (...) {
        util::count_internal_error(util::ThreadRole::collection, std::current_exception());
    }
}

void GuestAgentCollector::work() noexcept
{
    std::unique_lock lock(mu_);
    for (;;) {
        queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        auto [domain, round] = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        ask(domain, round);
        lock.lock();
    }
}

// The listing replaces the set of domains: running ones the filter keeps get an entry, the rest are
// dropped with their answers. Without a connection, or when the listing fails, the entries stay as
// they are (served with their growing age) and nothing is asked.
std::vector<virt::DomainRef> GuestAgentCollector::list_round(std::uint64_t& round)
{
    {
        std::lock_guard lock(mu_);
        round = ++round_;
    }
    std::vector<virt::DomainRef> listed;
    bool ok = false;
    if (source_.connected()) {
        try {
            listed = source_.list_domains();
            ok = true;
            if (log_once_.clear("list")) util::log_info("guest-agent", "listing domains works again");
        } catch (const std::exception& e) {
            log_once_.log(util::LogLevel::warn, "guest-agent", "list", e.what());
        }
    }
    std::lock_guard lock(mu_);
    listed_ = ok;
    if (!ok) return {};
    std::erase_if(listed, [&](const virt::DomainRef& d) { return d.id < 0 || !options_.filter.keeps(d); });
    std::set<std::string> live;
    for (const auto& d : listed) live.insert(d.uuid);
    std::erase_if(entries_, [&](const auto& kv) { return !live.contains(kv.first); });
    std::vector<virt::DomainRef> due;
    for (const auto& d : listed) {
        Entry& e = entries_[d.uuid];
        e.name = d.name;
        if (e.next_round <= round && out_.insert(d.uuid).second) due.push_back(d);
    }
    return due;
}

void GuestAgentCollector::ask(const virt::DomainRef& domain, std::uint64_t round) noexcept
{
    try {
        {
            // Dropped by a listing while it waited in the queue: stopped or gone, nothing to ask.
            std::lock_guard lock(mu_);
            if (!entries_.contains(domain.uuid)) {
                out_.erase(domain.uuid);
                return;
            }
        }
        std::vector<GuestFilesystem> filesystems;
        std::string error;
        try {
            filesystems = parse_guest_filesystems(source_.guest_filesystems(domain));
        } catch (const virt::Error& e) {
            error = e.what();
        }
        record(domain, round, std::move(filesystems), error);
    } catch (...) {
        util::count_internal_error(util::ThreadRole::collection, std::current_exception());
        std::lock_guard lock(mu_);
        out_.erase(domain.uuid);
    }
}

void GuestAgentCollector::record(const virt::DomainRef& domain, std::uint64_t round,
                                 std::vector<GuestFilesystem> filesystems, const std::string& error)
{
    const auto now = clock_.now();
    std::lock_guard lock(mu_);
    out_.erase(domain.uuid);
    auto it = entries_.find(domain.uuid);
    if (it == entries_.end()) return;
    Entry& e = it->second;
    if (error.empty()) {
        e.up = true;
        e.answered_at = now;
        e.filesystems = std::move(filesystems);
        e.failures = 0;
        e.next_round = round + 1;
        log_once_.clear(domain.uuid);
        return;
    }
    // No agent is the common case (a guest without qemu-ga): one line per domain until it answers.
    e.up = false;
    ++e.failures;
    const unsigned shift = std::min(e.failures - 1, 3u);
    e.next_round = round + std::min(1u << shift, max_backoff_rounds);
    log_once_.log(util::LogLevel::info, "guest-agent", domain.uuid,
                  "no guest agent answer from " + domain.name + ": " + error);
}

GuestAgentSnapshot GuestAgentCollector::snapshot() const
{
    GuestAgentSnapshot snap;
    snap.enabled = true;
    std::lock_guard lock(mu_);
    const auto now = clock_.now();
    snap.domains.reserve(entries_.size());
    for (const auto& [uuid, e] : entries_) {
        if (!e.up && e.failures == 0) continue;  // listed, not asked yet
        GuestAgentSample s;
        s.name = e.name;
        s.uuid = uuid;
        s.up = e.up;
        if (e.answered_at) s.age_seconds = std::chrono::duration<double>(now - *e.answered_at).count();
        s.filesystems = e.filesystems;
        snap.domains.push_back(std::move(s));
    }
    std::sort(snap.domains.begin(), snap.domains.end(),
              [](const GuestAgentSample& a, const GuestAgentSample& b) { return a.name < b.name; });
    return snap;
}

}  // namespace collect
