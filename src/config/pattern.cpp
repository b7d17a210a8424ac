// config::Pattern: push.vmid_regex is compiled here once, when the setting is read, and the compiled form
// is what the sampler uses; nothing compiles it a second time or can fail on it after start-up.
// GCC 12 with -O2 and the sanitizers reports a false -Wmaybe-uninitialized inside <regex>'s
// std::function members; it must be silenced before the header is read.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>

#include "collect/vmid.hpp"  // header-only use: the default pattern's text
#include "config/config.hpp"

namespace config {
namespace {

constexpr const char* default_vmid_pattern = collect::VmidRule::default_pattern;

std::shared_ptr<const std::regex> compiled(const std::string& text)
{
    return std::make_shared<const std::regex>(text, std::regex::ECMAScript | std::regex::optimize);
}

}  // namespace

Pattern::Pattern() : text_(default_vmid_pattern)
{
    // Every Config has one; compile the default once for all of them.
    static const std::shared_ptr<const std::regex> default_regex = compiled(default_vmid_pattern);
    regex_ = default_regex;
}

std::optional<std::string> Pattern::compile(const std::string& text, Pattern& out)
{
    try {
        out.regex_ = compiled(text);
    } catch (const std::regex_error& e) {
        return "invalid regular expression \"" + text + "\": " + e.what();
    }
    out.text_ = text;
    return std::nullopt;
}

}  // namespace config
