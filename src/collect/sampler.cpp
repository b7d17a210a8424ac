#include "collect/sampler.hpp"

#include <utility>

#include "collect/job_stats.hpp"
#include "collect/nowait_skip.hpp"
#include "collect/stats_parser.hpp"
#include "instr/instruments.hpp"
#include "util/error_chain.hpp"
#include "util/internal_errors.hpp"
#include "util/shares.hpp"

namespace collect {
namespace {

// The connection logs why it is not connected (and when it is again); the sampler does not repeat it.
constexpr std::string_view not_connected = "not connected to libvirt";

template <typename Sample, typename Info>
void link(std::vector<Sample>& samples, const std::vector<Info>& infos)
{
    for (auto& s : samples) {
        for (const auto& info : infos) {
            if (!info.target.empty() && info.target == s.name) {
                s.info = &info;
                break;
            }
        }
    }
}

// Moves one share's samples into the collection and adds its group status, completeness and skipped
// count to the collection's. Durations add up:
// a group's duration is the libvirt time spent on it, also when shares overlap.
void merge_share(Snapshot& share, Snapshot& into)
{
    for (std::size_t i = 0; i < into.groups.size() && i < share.groups.size(); ++i) {
        const auto& from = share.groups[i];
        auto& g = into.groups[i];
        g.per_domain = g.per_domain || from.per_domain;
        g.duration += from.duration;
        if (!from.success) {
            g.success = false;
            g.error = from.error;
        }
    }
    if (!share.complete && into.complete) {
        into.complete = false;
        into.error = share.error;
    }
    into.domains_skipped += share.domains_skipped;
    for (auto& d : share.domains) into.domains.push_back(std::move(d));
}

// A per-domain result into the collection's group status.
void account(const FillInResult& r, Snapshot& snap)
{
    for (auto& g : snap.groups) {
        if (r.filled_groups & g.group) g.per_domain = true;
        if (r.failed_groups & g.group) {
            g.success = false;
            g.error = r.error;
        }
        for (const auto& [group, d] : r.group_durations)
            if (group == g.group) g.duration += d;
    }
}

}  // namespace

void link_device_info(DomainSample& sample)
{
    if (!sample.devices) return;
    link(sample.nics, sample.devices->nics);
    link(sample.disks, sample.devices->disks);
}

Sampler::Sampler(virt::DomainSource& source, DeviceCache& cache, const util::Clock& clock, SamplerOptions options)
    : source_(source),
      cache_(cache),
      clock_(clock),
      options_(std::move(options)),
      fill_in_(source),
      jobs_(source, clock),
      placement_(source)
{
}

Snapshot Sampler::collect() noexcept
{
    Snapshot snap;
    const auto start = clock_.now();
    try {
        snap.taken_at = clock_.wall();
        for (unsigned group : virt::stats_groups_in(options_.groups)) {
            GroupStatus status;
            status.group = group;
            snap.groups.push_back(std::move(status));
        }
        collect_into(snap);
    } catch (...) {
        // Only allocation failure gets here; report it rather than take the process down.
        util::count_internal_error(util::ThreadRole::collection, std::current_exception());
        snap.libvirt_up = false;
        snap.complete = false;
        snap.error = "collection failed: " + util::current_error_chain();
        snap.domains.clear();
    }
    snap.duration = clock_.now() - start;
    record(snap);
    if (!snap.error.empty() && snap.error != not_connected)
        log_once_.log(util::LogLevel::warn, "collect", "collection", snap.error);
    else if (log_once_.clear("collection"))
        util::log_info("collect", "collection works again");
    return snap;
}

// A collection that found no connection asked libvirt nothing: its near-zero time would only pull the
// quantiles down while libvirt is away, so it is left out.
void Sampler::record(const Snapshot& snap) const noexcept
{
    if (!options_.instruments || snap.error == not_connected) return;
    using Seconds = std::chrono::duration<double>;
    options_.instruments->record_collection(Seconds(snap.duration).count());
    for (const auto& g : snap.groups)
        options_.instruments->record_collection_group(virt::stats_group_name(g.group), Seconds(g.duration).count());
}

void Sampler::collect_into(Snapshot& snap)
{
    auto fail_all = [&](const std::string& error) {
        snap.libvirt_up = false;
        snap.error = error;
        for (auto& g : snap.groups) {
            g.success = false;
            g.error = error;
        }
    };
    if (!source_.connected()) return fail_all(std::string(not_connected));

    std::vector<virt::DomainStatsRecord> records;
    const auto bulk_start = clock_.now();
    try {
        if (options_.filter.filters()) {
            std::vector<virt::DomainRef> listed = source_.list_domains();
            std::vector<virt::DomainRef> kept;
            for (auto& d : listed)
                if (options_.filter.keeps(d)) kept.push_back(std::move(d));
            snap.domains_filtered = static_cast<unsigned>(listed.size() - kept.size());
            if (!kept.empty()) records = source_.domain_stats(kept, options_.groups);
        } else {
            records = source_.all_domain_stats(options_.groups);
        }
    } catch (const std::exception& e) {
        return fail_all(e.what());
    }
    const auto bulk_duration = clock_.now() - bulk_start;
    snap.libvirt_up = true;
    snap.versions = source_.versions();
    for (auto& g : snap.groups)
        if (g.group & virt::libvirt_stats_groups_mask) g.duration = bulk_duration;

    fill_in_.observe_bulk(records, options_.groups);
    const auto deadline = bulk_start + options_.budget;
    std::vector<std::string> live;
    live.reserve(records.size());
    for (const auto& record : records) live.push_back(record.domain.uuid);
    snap.domains.reserve(records.size());

    // Share 0 goes straight into `snap` on this thread (with parallel 1 it is the whole collection);
    // the others into snapshots of their own, merged in share order so the records' order is kept.
    const auto shares = util::split_evenly(records.size(), options_.parallel);
    std::vector<Snapshot> partial(shares.size());
    for (std::size_t s = 1; s < shares.size(); ++s) {
        partial[s].groups = snap.groups;
        for (auto& g : partial[s].groups) g.duration = {};
    }
    util::run_shares(shares.size(), [this, &records, &partial, &shares, &snap, deadline](std::size_t s) {
        sample_share(records, shares[s].first, shares[s].second, s == 0 ? snap : partial[s], deadline);
    });
    for (std::size_t s = 1; s < partial.size(); ++s) merge_share(partial[s], snap);
    cache_.retain_only(live);
    jobs_.retain_only(live);
}

void Sampler::sample_share(std::vector<virt::DomainStatsRecord>& records, std::size_t begin, std::size_t end,
                           Snapshot& into, std::chrono::steady_clock::time_point deadline) noexcept
{
    for (std::size_t i = begin; i < end; ++i) {
        auto& record = records[i];
        try {
            into.domains.push_back(sample_domain(record, into, deadline));
        } catch (const std::exception& e) {
            ++into.domains_skipped;
            log_once_.log(util::LogLevel::warn, "collect", record.domain.uuid,
                          "skipping domain " + record.domain.name + ": " + e.what());
        } catch (...) {
            ++into.domains_skipped;
        }
    }
}

std::string Sampler::fetch_xml(const virt::DomainRef& ref)
{
    if (!options_.instruments) return source_.domain_xml(ref);
    // Timed whether it succeeds or throws: a failing fetch is as slow for the collection as a good one.
    const auto start = clock_.now();
    const auto record = [&] {
        options_.instruments->record_xml_fetch(std::chrono::duration<double>(clock_.now() - start).count());
    };
    try {
        std::string xml = source_.domain_xml(ref);
        record();
        return xml;
    } catch (...) {
        record();
        throw;
    }
}

DomainSample Sampler::sample_domain(virt::DomainStatsRecord& record, Snapshot& snap,
                                    std::chrono::steady_clock::time_point deadline)
{
    DomainSample sample = parse_stats_record(record);
    const auto ref = record.domain;
    auto devices = cache_.get(
        ref.uuid, [&](const std::string&) { return fetch_xml(ref); }, sample.nic_count, sample.disk_count);
    const bool monitor_skipped = monitor_stats_skipped(sample, devices.get(), options_.groups);
    bool timed_out = monitor_skipped;

    if (const unsigned missing = fill_in_.missing_groups(record, options_.groups)) {
        if (clock_.now() >= deadline) {
            timed_out = true;
            if (snap.complete) {
                snap.complete = false;
                snap.error = "collection budget of " + std::to_string(options_.budget.count()) +
                             " ms used up; some domains lack per-domain statistics";
            }
        } else {
            const FillInResult r = fill_in_.fill(record, missing, devices.get());
            timed_out = timed_out || r.busy;
            account(r, snap);
            sample = parse_stats_record(record);
        }
    }
    sample.timed_out = timed_out;
    sample_job(sample, ref, monitor_skipped, deadline);
    sample.vmid = options_.vmid.vmid(sample.name, sample.id);
    sample.devices = std::move(devices);
    link_device_info(sample);
    if (const unsigned pseudo = options_.groups & virt::pseudo_stats_groups) {
        const FillInResult r = placement_.fill(sample, ref, pseudo, clock_, deadline);
        sample.timed_out = sample.timed_out || r.busy;
        account(r, snap);
    }
    return sample;
}

void Sampler::sample_job(DomainSample& sample, const virt::DomainRef& ref, bool monitor_skipped,
                         std::chrono::steady_clock::time_point deadline)
{
    if (!job_may_run(sample, monitor_skipped, jobs_.had_job(ref.uuid))) return;
    const auto now = clock_.now();
    if (now >= deadline) {
        sample.timed_out = true;
        return;
    }
    const JobCallResult r = jobs_.get(ref, std::min(deadline, now + job_call_wait));
    const std::string key = ref.uuid + "virDomainGetJobStats";
    switch (r.outcome) {
    case JobCallOutcome::answered:
        sample.job = parse_job_stats(r.stats);
        log_once_.clear(key);
        return;
    case JobCallOutcome::busy:
        sample.timed_out = true;
        log_once_.log(util::LogLevel::warn, "collect", key, r.error);
        return;
    case JobCallOutcome::unsupported:
        log_once_.log(util::LogLevel::info, "collect", "virDomainGetJobStats",
                      "driver does not support virDomainGetJobStats; no job statistics on this connection");
        return;
    case JobCallOutcome::vanished: return;
    case JobCallOutcome::failed: log_once_.log(util::LogLevel::warn, "collect", key, r.error); return;
    }
}

}  // namespace collect
