#include "collect/placement_calls.hpp"

#include <algorithm>

#include "util/error_chain.hpp"

namespace collect {

void merge_placement(std::vector<VcpuSample>& vcpus, const std::vector<virt::VcpuPlacement>& placement)
{
    for (const auto& p : placement) {
        auto it = std::find_if(vcpus.begin(), vcpus.end(), [&](const VcpuSample& v) { return v.index == p.vcpu; });
        if (it == vcpus.end()) {
            VcpuSample added;
            added.index = p.vcpu;
            if (p.state >= 0) added.state = p.state;
            vcpus.push_back(std::move(added));
            it = vcpus.end() - 1;
        }
        if (p.host_cpu >= 0) it->host_cpu = p.host_cpu;
        it->affinity = p.affinity;
    }
}

template <typename Call>
bool PlacementCalls::run(unsigned group, const char* api, std::atomic<std::uint64_t>& unsupported_on,
                         const std::string& who, FillInResult& result, Call&& call) noexcept
{
    const auto generation = source_.generation();
    if (unsupported_on == generation) return false;
    const auto start = std::chrono::steady_clock::now();
    bool go_on = true;
    try {
        call();
        if (!log_once_.empty()) log_once_.clear(who + api);
    } catch (const virt::Error& e) {
        go_on = e.kind() == virt::ErrorKind::other;  // this disk's trouble, maybe not the next one's
        switch (e.kind()) {
        case virt::ErrorKind::unsupported:
            unsupported_on = generation;
            log_once_.log(util::LogLevel::info, "collect", api,
                          std::string("driver does not support ") + api + "; stats group " +
                              std::string(virt::stats_group_name(group)) + " stays empty on this connection");
            break;
        case virt::ErrorKind::no_domain: result.vanished = true; break;
        case virt::ErrorKind::busy: result.busy = true; break;
        default:
            result.failed_groups |= group;
            result.error = e.what();
            log_once_.log(util::LogLevel::warn, "collect", who + api, e.what());
            break;
        }
    } catch (...) {
        result.failed_groups |= group;
        result.error = std::string(api) + "(" + who + "): " + util::current_error_chain();
    }
    result.filled_groups |= group;
    result.group_durations.emplace_back(group, std::chrono::steady_clock::now() - start);
    return go_on;
}

FillInResult PlacementCalls::fill(DomainSample& sample, const virt::DomainRef& ref, unsigned groups,
                                  const util::Clock& clock, std::chrono::steady_clock::time_point deadline) noexcept
{
    FillInResult result;
    if (sample.id < 0) return result;
    const auto in_time = [&] {
        if (clock.now() < deadline) return true;
        result.busy = true;
        return false;
    };
    if ((groups & virt::stats_vcpu_placement) && in_time()) {
        run(virt::stats_vcpu_placement, "virDomainGetVcpus", placement_unsupported_on_, ref.uuid, result,
            [&] { merge_placement(sample.vcpus, source_.vcpu_placement(ref)); });
    }
    if (!(groups & virt::stats_block_iotune) || result.vanished) return result;
    for (auto& disk : sample.disks) {
        if (disk.info && disk.info->source.empty()) continue;  // no medium (an empty CD-ROM): no limits to ask
        if (!in_time()) break;
        const bool go_on = run(virt::stats_block_iotune, "virDomainGetBlockIoTune", iotune_unsupported_on_, ref.uuid,
                               result, [&] { disk.iotune = parse_block_iotune(source_.block_iotune(ref, disk.name)); });
        if (!go_on) break;
    }
    return result;
}

}  // namespace collect
