#include "virt/domain_source.hpp"

namespace virt {

std::string format_libvirt_version(unsigned long version)
{
    return std::to_string(version / 1000000) + "." + std::to_string(version / 1000 % 1000) + "." +
           std::to_string(version % 1000);
}

std::string format_cpulist(std::span<const unsigned char> map, unsigned cpus)
{
    const auto set = [&](unsigned cpu) {
        return cpu < cpus && cpu / 8 < map.size() && (map[cpu / 8] >> (cpu % 8) & 1u) != 0;
    };
    std::string out;
    for (unsigned cpu = 0; cpu < cpus && cpu / 8 < map.size(); ++cpu) {
        if (!set(cpu)) continue;
        unsigned last = cpu;
        while (set(last + 1)) ++last;
        if (!out.empty()) out += ',';
        out += std::to_string(cpu);
        if (last > cpu) out += '-' + std::to_string(last);
        cpu = last;
    }
    return out;
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
