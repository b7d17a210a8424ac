#include "collect/pool_collector.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "util/internal_errors.hpp"

namespace collect {

PoolCollector::PoolCollector(virt::DomainSource& source, const util::Clock& clock, PoolCollectorOptions options)
    : source_(source), clock_(clock), options_(options), rounds_(clock, [this] { return round(); })
{
}

PoolCollector::~PoolCollector()
{
    stop();
}

void PoolCollector::start()
{
    rounds_.start();
}

void PoolCollector::stop() noexcept
{
    rounds_.stop();
}

std::chrono::milliseconds PoolCollector::round() noexcept
{
    collect_round();
    std::lock_guard lock(mu_);
    // Without a connection (at start-up, the first round usually comes before libvirt is connected)
    // or with a failed listing, the next round comes within a second, not a whole interval later.
    return listed_ ? options_.interval : std::min<std::chrono::milliseconds>(options_.interval, retry_interval);
}

void PoolCollector::collect_round() noexcept
{
    std::uint64_t round = 0;
    {
        std::lock_guard lock(mu_);
        round = ++round_;
        in_round_ = true;
        round_started_ = clock_.now();
    }
    unsigned failed = 0;
    try {
        if (list_round()) {
            std::vector<virt::StoragePoolRef> refs;
            {
                std::lock_guard lock(mu_);
                for (const auto& [uuid, e] : entries_) refs.push_back({e.sample.name, uuid});
            }
            for (const auto& ref : refs) ask_pool(ref, round, failed);
        }
    } catch (...) {
        // Only allocation failure gets here; the round ends with what it has.
        util::count_internal_error(util::ThreadRole::collection, std::current_exception());
    }
    end_round(failed);
}

// The listing replaces the set of pools: new ones get an entry without an answer, gone ones are dropped
// with their cached XML. Without a connection, or when the listing fails, no pool is known.
bool PoolCollector::list_round()
{
    std::vector<virt::StoragePoolRef> listed;
    bool ok = false;
    if (source_.connected()) {
        try {
            listed = source_.list_storage_pools();
            ok = true;
            if (log_once_.clear("list")) util::log_info("pools", "listing storage pools works again");
        } catch (const std::exception& e) {
            log_once_.log(util::LogLevel::warn, "pools", "list", e.what());
        }
    }
    std::set<std::string> live;
    for (const auto& ref : listed) live.insert(ref.uuid);
    std::erase_if(xml_, [&](const auto& kv) { return !live.count(kv.first); });
    std::lock_guard lock(mu_);
    listed_ = ok;
    std::erase_if(entries_, [&](const auto& kv) { return !live.count(kv.first); });
    for (const auto& ref : listed) {
        auto& e = entries_[ref.uuid];
        e.sample.name = ref.name;
        e.sample.uuid = ref.uuid;
    }
    return !listed.empty();
}

void PoolCollector::ask_pool(const virt::StoragePoolRef& ref, std::uint64_t round, unsigned& failed)
{
    try {
        const virt::StoragePoolInfo info = source_.storage_pool_info(ref);
        const PoolDefinition& def = definition(ref, info.state);
        std::lock_guard lock(mu_);
        auto it = entries_.find(ref.uuid);
        if (it == entries_.end()) return;
        it->second.sample.info = info;
        it->second.sample.answered = true;
        it->second.sample.type = def.type;
        it->second.sample.target_path = def.target_path;
        it->second.answered_round = round;
        log_once_.clear(ref.uuid);
    } catch (const std::exception& e) {
        ++failed;
        log_once_.log(util::LogLevel::warn, "pools", ref.uuid, "skipping storage pool " + ref.name + ": " + e.what());
        std::lock_guard lock(mu_);
        entries_.erase(ref.uuid);
    }
}

const PoolDefinition& PoolCollector::definition(const virt::StoragePoolRef& ref, int state)
{
    const auto now = clock_.now();
    auto it = xml_.find(ref.uuid);
    if (it != xml_.end() && it->second.state == state && now - it->second.read_at < options_.xml_ttl)
        return it->second.definition;
    CachedXml cached{{}, state, now};
    try {
        auto parsed = parse_pool_xml(source_.storage_pool_xml(ref));
        if (auto* def = std::get_if<PoolDefinition>(&parsed)) {
            cached.definition = std::move(*def);
            log_once_.clear("xml:" + ref.uuid);
        } else {
            log_once_.log(util::LogLevel::warn, "pools", "xml:" + ref.uuid,
                          "storage pool " + ref.name + ": " + std::get<XmlError>(parsed).message);
        }
    } catch (const std::exception& e) {
        // Its values are still worth having; type and path stay empty until the XML can be read.
        log_once_.log(util::LogLevel::warn, "pools", "xml:" + ref.uuid, e.what());
    }
    return xml_.insert_or_assign(ref.uuid, std::move(cached)).first->second.definition;
}

void PoolCollector::end_round(unsigned failed)
{
    std::lock_guard lock(mu_);
    in_round_ = false;
    failed_ = failed;
}

PoolSnapshot PoolCollector::snapshot() const
{
    PoolSnapshot snap;
    snap.enabled = true;
    std::lock_guard lock(mu_);
    const bool overdue = in_round_ && clock_.now() - round_started_ > options_.timeout;
    snap.failed = failed_;
    snap.pools.reserve(entries_.size());
    for (const auto& [uuid, e] : entries_) {
        snap.pools.push_back(e.sample);
        snap.pools.back().timed_out = overdue && e.answered_round < round_;
    }
    std::sort(snap.pools.begin(), snap.pools.end(),
              [](const PoolSample& a, const PoolSample& b) { return a.name < b.name; });
    return snap;
}

}  // namespace collect
