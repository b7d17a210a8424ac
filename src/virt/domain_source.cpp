#include "virt/domain_source.hpp"

#include <array>
#include <utility>

namespace virt {
namespace {

constexpr std::array<std::pair<unsigned, std::string_view>, 11> group_names{{
    {stats_state, "state"},
    {stats_cpu_total, "cpu_total"},
    {stats_balloon, "balloon"},
    {stats_vcpu, "vcpu"},
    {stats_interface, "interface"},
    {stats_block, "block"},
    {stats_perf, "perf"},
    {stats_iothread, "iothread"},
    {stats_memory, "memory"},
    {stats_dirtyrate, "dirtyrate"},
    {stats_vm, "vm"},
}};

}  // namespace

std::string_view stats_group_name(unsigned group) noexcept
{
    for (const auto& [bit, name] : group_names)
        if (bit == group) return name;
    return {};
}

unsigned stats_group_from_name(std::string_view name) noexcept
{
    for (const auto& [bit, group_name] : group_names)
        if (group_name == name) return bit;
    return 0;
}

std::vector<unsigned> stats_groups_in(unsigned mask)
{
    std::vector<unsigned> out;
    for (const auto& [bit, name] : group_names)
        if (mask & bit) out.push_back(bit);
    return out;
}

}  // namespace virt
