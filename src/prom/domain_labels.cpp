#include "prom/domain_labels.hpp"

#include "prom/text_writer.hpp"

namespace prom {

DomainLabels::DomainLabels(const std::vector<collect::DomainSample>& domains) : domains_(domains)
{
    // Sized up front so the arena is not copied while it grows.
    std::size_t sets = 0, bytes = 0;
    for (const auto& d : domains) {
        std::size_t device_names = 0;
        for (const auto& n : d.nics) device_names += n.name.size();
        for (const auto& b : d.disks) device_names += b.name.size();
        const std::size_t n = 1 + d.nics.size() + d.disks.size();
        sets += n;
        bytes += n * (2 * (d.name.size() + d.uuid.size()) + 40) + 2 * device_names;
    }
    text_.reserve(bytes);
    ends_.reserve(sets);
    index_.reserve(domains.size());
    std::string base;
    for (const auto& d : domains) {
        base.clear();
        append_label(base, "domain", d.name);
        append_label(base, "uuid", d.uuid);
        DomainIndex at{};
        at.base = static_cast<std::uint32_t>(ends_.size());
        text_ += base;
        close_set();
        // base is never empty, so append_label puts the comma between it and target_device.
        at.first_nic = static_cast<std::uint32_t>(ends_.size());
        for (const auto& n : d.nics) {
            text_ += base;
            append_label(text_, "target_device", n.name);
            close_set();
        }
        at.first_disk = static_cast<std::uint32_t>(ends_.size());
        for (const auto& b : d.disks) {
            text_ += base;
            append_label(text_, "target_device", b.name);
            close_set();
        }
        index_.push_back(at);
    }
}

}  // namespace prom
