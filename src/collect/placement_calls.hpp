// The per-domain calls of the pseudo stats groups vcpu_placement (one virDomainGetVcpus with cpumaps
// per running domain) and block_iotune (one virDomainGetBlockIoTune per disk), made by the sampler after
// the bulk call and the fill-in, within the collection's budget. A driver that lacks a call is
// remembered per connection: the call is not made again until the next connection.
//
// Ownership: borrows the DomainSource (it must outlive this object).
// Thread-safety: fill() may run on several collecting threads at once (what it remembers is atomic).
// Throws: nothing; errors come back in the FillInResult, as the fill-in's do.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>

#include "collect/domain_sample.hpp"
#include "collect/fill_in.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"
#include "virt/domain_source.hpp"

namespace collect {

class PlacementCalls {
public:
    explicit PlacementCalls(virt::DomainSource& source) : source_(source) {}

    // For a running `sample` (id >= 0), the calls of `groups` (stats_vcpu_placement, stats_block_iotune;
    // other bits ignored): host CPU and affinity into its vcpus (a vCPU the bulk call did not report is
    // added), limits into each disk's iotune (disks linked to their XML; one without a medium is skipped). Once `clock`
    // reaches `deadline` no further call is made and `busy` is set (the domain's values are not all fresh). A vanished
    // domain is no failure.
    FillInResult fill(DomainSample& sample, const virt::DomainRef& ref, unsigned groups, const util::Clock& clock,
                      std::chrono::steady_clock::time_point deadline) noexcept;

private:
    static constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();
    // Runs `call` for `group`, timed into `result`; false when no further call of it should be made for
    // this domain in this collection (unsupported, vanished, busy).
    template <typename Call>
    bool run(unsigned group, const char* api, std::atomic<std::uint64_t>& unsupported_on, const std::string& who,
             FillInResult& result, Call&& call) noexcept;

    virt::DomainSource& source_;
    // The connection generation on which the driver refused each call (never: not refused).
    std::atomic<std::uint64_t> placement_unsupported_on_{never};
    std::atomic<std::uint64_t> iotune_unsupported_on_{never};
    util::LogOnce log_once_;
};

// Puts one virDomainGetVcpus answer into `vcpus` by vCPU number: host_cpu (when known) and affinity;
// a vCPU not yet in `vcpus` is appended with its state. Pure.
void merge_placement(std::vector<VcpuSample>& vcpus, const std::vector<virt::VcpuPlacement>& placement);

}  // namespace collect
