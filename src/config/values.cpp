// Scalar text → typed value for the YAML file, the environment and flags alike, so "5", "2.5s" and
// "512MiB" mean the same wherever they are written. Nothing here throws.
#include <cctype>
#include <cstdio>

#include "config/internal.hpp"
#include "util/text.hpp"

namespace config::detail {
namespace {

using util::trim;

// A decimal "12" or "1.5" at the front of `s`, consumed; false if there is none or it is too long
// to compute exactly in 64 bits (12 integer digits, 9 fraction digits cover every sane setting).
bool take_decimal(std::string_view& s, std::int64_t& whole, std::int64_t& frac, std::int64_t& frac_scale)
{
    whole = 0, frac = 0, frac_scale = 1;
    std::size_t i = 0, int_digits = 0, frac_digits = 0;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, ++int_digits)
        whole = whole * 10 + (s[i] - '0');
    if (i < s.size() && s[i] == '.') {
        for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, ++frac_digits) {
            frac = frac * 10 + (s[i] - '0');
            frac_scale *= 10;
        }
    }
    if (int_digits + frac_digits == 0 || int_digits > 12 || frac_digits > 9) return false;
    s.remove_prefix(i);
    return true;
}

// whole.frac × unit, exactly; false when that leaves a fraction of the base unit.
bool scale(std::int64_t whole, std::int64_t frac, std::int64_t frac_scale, std::int64_t unit, std::int64_t& out)
{
    if ((frac * unit) % frac_scale != 0) return false;
    out = whole * unit + frac * unit / frac_scale;
    return true;
}

}  // namespace

Problem parse_duration_ms(std::string_view text, std::int64_t& ms)
{
    const std::string shown(text);
    Problem bad = "must be a duration in seconds or with a unit (5, 2.5, 500ms, 10s, 5m, 1h), got \"" + shown + "\"";
    std::string_view s = trim(text);
    bool negative = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return bad;
    std::int64_t total = 0;
    bool first = true;
    while (!s.empty()) {
        std::int64_t whole, frac, frac_scale;
        if (!take_decimal(s, whole, frac, frac_scale)) return bad;
        std::size_t n = 0;
        while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
        const std::string unit = util::ascii_lower(s.substr(0, n));
        s.remove_prefix(n);
        std::int64_t unit_ms = 0;
        if (unit == "s" || (unit.empty() && first && s.empty()))  // a bare number is seconds
            unit_ms = 1000;
        else if (unit == "ms")
            unit_ms = 1;
        else if (unit == "m")
            unit_ms = 60'000;
        else if (unit == "h")
            unit_ms = 3'600'000;
        else
            return bad;
        std::int64_t part = 0;
        if (!scale(whole, frac, frac_scale, unit_ms, part))
            return "must be a whole number of milliseconds, got \"" + shown + "\"";
        total += part;
        first = false;
    }
    ms = negative ? -total : total;
    return std::nullopt;
}

Problem parse_unsigned(std::string_view text, std::uint64_t max, std::uint64_t& out)
{
    const std::string_view s = trim(text);
    if (!s.empty() && s.front() == '-' && s.size() > 1 &&
        s.find_first_not_of("0123456789", 1) == std::string_view::npos)
        return "must be >= 0, got " + std::string(s);
    if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos)
        return "must be a whole number, got \"" + std::string(text) + "\"";
    std::uint64_t v = 0;
    for (char c : s) {
        const unsigned d = static_cast<unsigned>(c - '0');
        if (v > (max - d) / 10) return "must be at most " + std::to_string(max) + ", got " + std::string(s);
        v = v * 10 + d;
    }
    out = v;
    return std::nullopt;
}

Problem parse_bytes(std::string_view text, std::uint64_t& out)
{
    Problem bad =
        "must be a size in bytes or with a unit (1048576, 512MiB, 1GiB, 10GB), got \"" + std::string(text) + "\"";
    std::string_view s = trim(text);
    std::int64_t whole, frac, frac_scale;
    if (!take_decimal(s, whole, frac, frac_scale)) return bad;
    const std::string unit = util::ascii_lower(trim(s));
    static const std::pair<const char*, std::int64_t> units[] = {{"", 1},
                                                                 {"b", 1},
                                                                 {"k", 1000},
                                                                 {"kb", 1000},
                                                                 {"kib", 1ll << 10},
                                                                 {"m", 1'000'000},
                                                                 {"mb", 1'000'000},
                                                                 {"mib", 1ll << 20},
                                                                 {"g", 1'000'000'000},
                                                                 {"gb", 1'000'000'000},
                                                                 {"gib", 1ll << 30},
                                                                 {"t", 1'000'000'000'000},
                                                                 {"tb", 1'000'000'000'000},
                                                                 {"tib", 1ll << 40}};
    for (const auto& [name, factor] : units) {
        if (unit != name) continue;
        // 12 integer digits × 2^40 would overflow; no disk spool is that large.
        if (whole > (INT64_MAX / factor) - 1) return "is too large, got \"" + std::string(text) + "\"";
        std::int64_t v = 0;
        if (!scale(whole, frac, frac_scale, factor, v))
            return "must be a whole number of bytes, got \"" + std::string(text) + "\"";
        out = static_cast<std::uint64_t>(v);
        return std::nullopt;
    }
    return bad;
}

Problem parse_bool(std::string_view text, bool& out)
{
    const std::string s = util::ascii_lower(trim(text));
    if (s == "true" || s == "yes" || s == "on") return out = true, std::nullopt;
    if (s == "false" || s == "no" || s == "off") return out = false, std::nullopt;
    return "must be true or false, got \"" + std::string(text) + "\"";
}

std::string format_seconds(std::int64_t ms)
{
    std::string out = ms < 0 ? "-" : "";
    const std::uint64_t a = ms < 0 ? static_cast<std::uint64_t>(-(ms + 1)) + 1 : static_cast<std::uint64_t>(ms);
    out += std::to_string(a / 1000);
    if (a % 1000 != 0) {
        char frac[8];
        std::snprintf(frac, sizeof frac, ".%03u", static_cast<unsigned>(a % 1000));
        std::string f = frac;
        while (f.back() == '0') f.pop_back();
        out += f;
    }
    return out;
}

std::string format_bytes(std::uint64_t bytes)
{
    static const std::pair<const char*, int> units[] = {{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}};
    for (const auto& [name, shift] : units) {
        const std::uint64_t unit = 1ull << shift;
        if (bytes != 0 && bytes % unit == 0) return std::to_string(bytes / unit) + name;
    }
    return std::to_string(bytes);
}

}  // namespace config::detail
