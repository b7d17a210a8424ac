#include "collect/vmid.hpp"

#include "collect/regex_input.hpp"

namespace collect {

VmidRule::VmidRule(const std::string& pattern)
    : regex_(std::make_shared<const std::regex>(pattern, std::regex::ECMAScript | std::regex::optimize))
{
}

std::string VmidRule::vmid(const std::string& domain_name, int domain_id) const
{
    std::smatch m;
    if (fits_regex(domain_name) && std::regex_search(domain_name, m, *regex_)) {
        // A pattern without a capture group names the whole match.
        const auto& g = m.size() > 1 && m[1].matched ? m[1] : m[0];
        if (g.length() > 0) return g.str();
    }
    return domain_id >= 0 ? std::to_string(domain_id) : std::string();
}

}  // namespace collect
