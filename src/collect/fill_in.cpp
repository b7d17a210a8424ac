#include "collect/fill_in.hpp"

#include <algorithm>

#include "collect/stats_parser.hpp"

namespace collect {
namespace {

constexpr unsigned fillable_groups = virt::stats_state | virt::stats_cpu_total | virt::stats_balloon |
                                     virt::stats_vcpu | virt::stats_interface | virt::stats_block;

}  // namespace

void FillIn::reset_if_reconnected()
{
    // A new connection may be to a restarted or upgraded daemon: learn again.
    const auto generation = source_.generation();
    if (generation_.exchange(generation) == generation) return;
    bulk_serves_ = 0;
    unsupported_apis_ = 0;
}

void FillIn::observe_bulk(const std::vector<virt::DomainStatsRecord>& records, unsigned requested)
{
    reset_if_reconnected();
    for (const auto& record : records) {
        if (record.domain.id < 0) continue;  // inactive domains carry only state: they prove nothing
        for (unsigned group : virt::stats_groups_in(requested & fillable_groups & ~bulk_serves_))
            if (record_has_group(record, group)) bulk_serves_ |= group;
    }
}

unsigned FillIn::missing_groups(const virt::DomainStatsRecord& record, unsigned requested) const
{
    unsigned candidates = requested & fillable_groups & ~bulk_serves_;
    if (record.domain.id < 0) candidates &= virt::stats_state;
    unsigned missing = 0;
    for (unsigned group : virt::stats_groups_in(candidates))
        if (!record_has_group(record, group)) missing |= group;
    return missing;
}

void FillIn::add_missing(virt::DomainStatsRecord& record, std::vector<virt::TypedParam> params,
                         const std::string& prefix)
{
    // domain_info overlaps with the richer calls; the first value for a field wins. A linear scan over
    // the fields already there, not a hash set: a record holds tens of fields, and building a set for
    // each of a domain's ~13 calls was a quarter of an in-process collection (bench/README.md).
    const std::size_t before = record.params.size();
    for (auto& p : params) {
        p.field.insert(0, prefix);
        // Taken afresh each time: a push_back below may reallocate.
        const auto end = record.params.begin() + static_cast<std::ptrdiff_t>(before);
        if (std::none_of(record.params.begin(), end, [&](const auto& q) { return q.field == p.field; }))
            record.params.push_back(std::move(p));
    }
}

template <typename Call>
bool FillIn::call(Api api, const char* api_name, virt::DomainStatsRecord& record, const std::string& prefix,
                  FillInResult& result, Call&& fn)
{
    if (unsupported_apis_ & api) return true;
    try {
        add_missing(record, fn(), prefix);
        if (!log_once_.empty()) log_once_.clear(record.domain.uuid + api_name);
        return true;
    } catch (const virt::Error& e) {
        switch (e.kind()) {
        case virt::ErrorKind::unsupported:
            unsupported_apis_ |= api;
            util::log_info("collect", std::string("driver does not support ") + api_name +
                                          "; not asking again on this connection");
            return true;
        case virt::ErrorKind::no_domain: result.vanished = true; return true;
        case virt::ErrorKind::busy: result.busy = true; [[fallthrough]];
        default:
            result.error = e.what();
            log_once_.log(util::LogLevel::warn, "collect", record.domain.uuid + api_name, e.what());
            return false;
        }
    } catch (const std::exception& e) {
        result.error = e.what();
        log_once_.log(util::LogLevel::warn, "collect", record.domain.uuid + api_name, e.what());
        return false;
    }
}

FillInResult FillIn::fill(virt::DomainStatsRecord& record, unsigned groups, const DomainDevices* devices)
{
    reset_if_reconnected();
    FillInResult result;
    const auto& dom = record.domain;
    auto timed = [&](unsigned group, auto&& body) {
        if (!(groups & group) || result.vanished) return;
        const auto start = std::chrono::steady_clock::now();
        const bool ok = body();
        result.filled_groups |= group;
        if (!ok) result.failed_groups |= group;
        result.group_durations.emplace_back(group, std::chrono::steady_clock::now() - start);
    };

    timed(virt::stats_state, [&] {
        return call(api_state, "virDomainGetState", record, "", result, [&] { return source_.domain_state(dom); });
    });
    // virDomainGetInfo covers the basics of three groups (the richer calls below add the rest); its
    // time is booked to the first of them that was asked for.
    const unsigned info_groups = groups & (virt::stats_cpu_total | virt::stats_balloon | virt::stats_vcpu);
    if (info_groups != 0) {
        timed(virt::stats_groups_in(info_groups).front(), [&] {
            return call(api_info, "virDomainGetInfo", record, "", result, [&] {
                auto params = source_.domain_info(dom);
                std::erase_if(params, [](const auto& p) { return p.field.starts_with("state."); });
                return params;
            });
        });
    }
    timed(virt::stats_cpu_total, [&] {
        return call(api_cpu, "virDomainGetCPUStats", record, "", result, [&] { return source_.cpu_stats(dom); });
    });
    timed(virt::stats_vcpu, [&] {
        return call(api_vcpu, "virDomainGetVcpus", record, "", result, [&] { return source_.vcpu_stats(dom); });
    });
    timed(virt::stats_balloon, [&] {
        return call(api_memory, "virDomainMemoryStats", record, "", result, [&] { return source_.memory_stats(dom); });
    });
    if (!devices) return result;
    timed(virt::stats_interface, [&] {
        bool ok = true;
        record.params.push_back({"net.count", std::uint64_t{devices->nics.size()}});
        for (std::size_t i = 0; i < devices->nics.size() && !result.vanished; ++i) {
            const auto& target = devices->nics[i].target;
            if (target.empty()) continue;  // e.g. type user: counted, nothing to ask for
            const std::string prefix = "net." + std::to_string(i) + ".";
            record.params.push_back({prefix + "name", target});
            ok &= call(api_interface, "virDomainInterfaceStats", record, prefix, result,
                       [&] { return source_.interface_stats(dom, target); });
        }
        return ok;
    });
    timed(virt::stats_block, [&] {
        bool ok = true;
        record.params.push_back({"block.count", std::uint64_t{devices->disks.size()}});
        for (std::size_t i = 0; i < devices->disks.size() && !result.vanished; ++i) {
            const auto& disk = devices->disks[i];
            if (disk.target.empty()) continue;
            const std::string prefix = "block." + std::to_string(i) + ".";
            record.params.push_back({prefix + "name", disk.target});
            if (!disk.source.empty() && disk.type != "network") record.params.push_back({prefix + "path", disk.source});
            ok &= call(api_block, "virDomainBlockStats", record, prefix, result,
                       [&] { return source_.block_stats(dom, disk.target); });
        }
        return ok;
    });
    return result;
}

}  // namespace collect
