#include "collect/sampler.hpp"

#include "collect/stats_parser.hpp"
#include "util/error_chain.hpp"

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

}  // namespace

void link_device_info(DomainSample& sample)
{
    if (!sample.devices) return;
    link(sample.nics, sample.devices->nics);
    link(sample.disks, sample.devices->disks);
}

Sampler::Sampler(virt::DomainSource& source, DeviceCache& cache, const util::Clock& clock, SamplerOptions options)
    : source_(source), cache_(cache), clock_(clock), options_(options), fill_in_(source)
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
        snap.libvirt_up = false;
        snap.complete = false;
        snap.error = "collection failed: " + util::current_error_chain();
        snap.domains.clear();
    }
    snap.duration = clock_.now() - start;
    if (!snap.error.empty() && snap.error != not_connected)
        log_once_.log(util::LogLevel::warn, "collect", "collection", snap.error);
    else if (log_once_.clear("collection"))
        util::log_info("collect", "collection works again");
    return snap;
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
        records = source_.all_domain_stats(options_.groups);
    } catch (const std::exception& e) {
        return fail_all(e.what());
    }
    const auto bulk_duration = clock_.now() - bulk_start;
    snap.libvirt_up = true;
    for (auto& g : snap.groups) g.duration = bulk_duration;

    fill_in_.observe_bulk(records, options_.groups);
    const auto deadline = bulk_start + options_.budget;
    std::vector<std::string> live;
    live.reserve(records.size());
    snap.domains.reserve(records.size());
    for (auto& record : records) {
        live.push_back(record.domain.uuid);
        try {
            snap.domains.push_back(sample_domain(record, snap, deadline));
        } catch (const std::exception& e) {
            ++snap.domains_skipped;
            log_once_.log(util::LogLevel::warn, "collect", record.domain.uuid,
                          "skipping domain " + record.domain.name + ": " + e.what());
        }
    }
    cache_.retain_only(live);
}

DomainSample Sampler::sample_domain(virt::DomainStatsRecord& record, Snapshot& snap,
                                    std::chrono::steady_clock::time_point deadline)
{
    DomainSample sample = parse_stats_record(record);
    const auto ref = record.domain;
    auto devices = cache_.get(
        ref.uuid, [&](const std::string&) { return source_.domain_xml(ref); }, sample.nic_count, sample.disk_count);

    if (const unsigned missing = fill_in_.missing_groups(record, options_.groups)) {
        if (clock_.now() >= deadline) {
            if (snap.complete) {
                snap.complete = false;
                snap.error = "collection budget of " + std::to_string(options_.budget.count()) +
                             " ms used up; some domains lack per-domain statistics";
            }
        } else {
            const FillInResult r = fill_in_.fill(record, missing, devices.get());
            for (auto& g : snap.groups) {
                if (r.filled_groups & g.group) g.per_domain = true;
                if (r.failed_groups & g.group) {
                    g.success = false;
                    g.error = r.error;
                }
                for (const auto& [group, d] : r.group_durations)
                    if (group == g.group) g.duration += d;
            }
            sample = parse_stats_record(record);
        }
    }
    sample.vmid = options_.vmid.vmid(sample.name, sample.id);
    sample.devices = std::move(devices);
    link_device_info(sample);
    return sample;
}

}  // namespace collect
