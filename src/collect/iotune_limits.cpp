#include "collect/iotune_limits.hpp"

#include <variant>

namespace collect {

IoTuneLimits parse_block_iotune(const std::vector<virt::TypedParam>& params)
{
    IoTuneLimits out{};
    std::array<bool, iotune_limit_count> seen{};
    for (const auto& p : params) {
        const auto which = util::value_named<IoTuneLimit>(iotune_limit_names, p.field);
        if (!which) continue;
        const auto i = static_cast<std::size_t>(*which);
        if (seen[i]) continue;
        seen[i] = true;
        std::uint64_t v = 0;
        if (const auto* u = std::get_if<std::uint64_t>(&p.value))
            v = *u;
        else if (const auto* s = std::get_if<std::int64_t>(&p.value); s && *s > 0)
            v = static_cast<std::uint64_t>(*s);
        if (v != 0) out[i] = v;
    }
    return out;
}

}  // namespace collect
