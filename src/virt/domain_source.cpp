#include "virt/domain_source.hpp"

namespace virt {

std::string format_libvirt_version(unsigned long version)
{
    return std::to_string(version / 1000000) + "." + std::to_string(version / 1000 % 1000) + "." +
           std::to_string(version % 1000);
}

std::string_view stats_group_name(unsigned group) noexcept
{
    return util::name_of<StatsGroup>(stats_group_names, static_cast<StatsGroup>(group));
}

std::vector<unsigned> stats_groups_in(unsigned mask)
{
    std::vector<unsigned> out;
    for (const auto& [bit, name] : stats_group_names)
        if (mask & bit) out.push_back(bit);
    return out;
}

}  // namespace virt
