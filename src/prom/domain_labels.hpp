// The escaped label sets of a snapshot's domains and devices, built once per exposition and reused by
// every family: `domain="…",uuid="…"` per domain and that plus `target_device="…"` per NIC and disk.
// All sets live back to back in one string, so a 1000-domain snapshot costs a handful of allocations.
// And the loops that write one family with a sample per domain, NIC, disk or vCPU, in snapshot order,
// each with its set; their `get` returns the sample's value: an optional (absent → no sample) or a number.
//
// Ownership: DomainLabels borrows the domains (the scrape's immutable Snapshot), which outlive it. Built
// and read on one thread (the scrape's). Throws only std::bad_alloc.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collect/domain_sample.hpp"
#include "prom/text_writer.hpp"

namespace prom {

class DomainLabels {
public:
    explicit DomainLabels(const std::vector<collect::DomainSample>& domains);

    const std::vector<collect::DomainSample>& domains() const { return domains_; }
    std::string_view domain(std::size_t d) const { return set(index_[d].base); }
    std::string_view nic(std::size_t d, std::size_t n) const { return set(index_[d].first_nic + n); }
    std::string_view disk(std::size_t d, std::size_t b) const { return set(index_[d].first_disk + b); }

private:
    struct DomainIndex {
        std::uint32_t base, first_nic, first_disk;  // numbers of sets in ends_
    };
    std::string_view set(std::size_t k) const
    {
        const std::size_t begin = k == 0 ? 0 : ends_[k - 1];
        return std::string_view(text_).substr(begin, ends_[k] - begin);
    }
    void close_set() { ends_.push_back(text_.size()); }

    const std::vector<collect::DomainSample>& domains_;
    std::string text_;                // every set, back to back
    std::vector<std::size_t> ends_;   // where each set ends in text_
    std::vector<DomainIndex> index_;  // per domain
};

template <typename Get>
void each_domain(TextWriter& out, const DomainLabels& labels, const Family& family, Get get)
{
    out.family(family);
    const auto& domains = labels.domains();
    for (std::size_t d = 0; d < domains.size(); ++d) out.sample(labels.domain(d), get(domains[d]));
}

template <typename Get>
void each_nic(TextWriter& out, const DomainLabels& labels, const Family& family, Get get)
{
    out.family(family);
    const auto& domains = labels.domains();
    for (std::size_t d = 0; d < domains.size(); ++d)
        for (std::size_t n = 0; n < domains[d].nics.size(); ++n) out.sample(labels.nic(d, n), get(domains[d].nics[n]));
}

template <typename Get>
void each_disk(TextWriter& out, const DomainLabels& labels, const Family& family, Get get)
{
    out.family(family);
    const auto& domains = labels.domains();
    for (std::size_t d = 0; d < domains.size(); ++d)
        for (std::size_t b = 0; b < domains[d].disks.size(); ++b)
            out.sample(labels.disk(d, b), get(domains[d].disks[b]));
}

// vCPU series add vcpu="N" to the domain's set (a number: nothing to escape).
template <typename Get>
void each_vcpu(TextWriter& out, const DomainLabels& labels, const Family& family, Get get)
{
    out.family(family);
    const auto& domains = labels.domains();
    for (std::size_t d = 0; d < domains.size(); ++d) {
        for (const auto& v : domains[d].vcpus) {
            char vcpu[32] = "vcpu=\"";
            char* end = std::to_chars(vcpu + 6, vcpu + sizeof vcpu - 1, v.index).ptr;
            *end++ = '"';
            out.sample(labels.domain(d), std::string_view(vcpu, end - vcpu), get(v));
        }
    }
}

// A device _info family: one sample of 1 per device with XML attributes (`info`), labelled with its
// domain's set plus what `attributes(device, info, set)` appends (target_device sits among the
// attributes in inovex's order, so these sets are built here rather than taken from nic()/disk()).
template <typename Device, typename Attributes>
void each_device_info(TextWriter& out, const DomainLabels& labels, const Family& family,
                      std::vector<Device> collect::DomainSample::*devices, Attributes attributes)
{
    out.family(family);
    std::string set;
    const auto& domains = labels.domains();
    for (std::size_t d = 0; d < domains.size(); ++d) {
        for (const Device& device : domains[d].*devices) {
            if (!device.info) continue;
            set.assign(labels.domain(d));
            attributes(device, *device.info, set);
            out.sample(set, 1);
        }
    }
}

}  // namespace prom
