#include "collect/domain_filter.hpp"

#include <algorithm>

#include "collect/regex_input.hpp"

namespace collect {
namespace {

bool whole_match(const std::regex& re, const std::string& text) noexcept
{
    if (!fits_regex(text)) return false;
    try {
        return std::regex_match(text, re);
    } catch (...) {
        // std::regex_error (error_complexity, error_stack) on a pathological pattern and name.
        return false;
    }
}

bool any_matches(const std::vector<std::shared_ptr<const std::regex>>& patterns, const virt::DomainRef& d) noexcept
{
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const auto& re) { return re && (whole_match(*re, d.name) || whole_match(*re, d.uuid)); });
}

}  // namespace

bool DomainFilter::keeps(const virt::DomainRef& domain) const noexcept
{
    if (!inactive && domain.id < 0) return false;
    if (!include.empty() && !any_matches(include, domain)) return false;
    return !any_matches(exclude, domain);
}

}  // namespace collect
