// Test support: a strict parser of the Prometheus text format 0.0.4 as /metrics writes it, so tests
// read the exposition back instead of trusting the writer: HELP then TYPE (counter or gauge) before a
// family's samples (a histogram's samples named <family>_bucket, _sum and _count, as prometheus-cpp's
// TextSerializer writes the exporter's own instrumentation), metric and label names per the format, label values with
// only \\, \" and \n escapes, values as Go's ParseFloat reads them (NaN, +Inf, -Inf included), no timestamps, no
// duplicate family, series or label name, no family without samples. Throws std::runtime_error naming
// the line on anything else.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace test_support {

struct Sample {
    std::string name;                                         // the family's, or a histogram's _bucket, _sum, _count
    std::vector<std::pair<std::string, std::string>> labels;  // in order, values unescaped
    double value = 0;

    const std::string* label(std::string_view name) const
    {
        for (const auto& [n, v] : labels)
            if (n == name) return &v;
        return nullptr;
    }
};

struct ParsedFamily {
    std::string name, help, type;
    std::vector<Sample> samples;
};

namespace detail {

inline bool name_char(char c, bool first, bool colon)
{
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
    return alpha || (!first && c >= '0' && c <= '9');
}

// Reads a name at the start of `s` and removes it from `s`.
inline std::string take_name(std::string_view& s, bool colon, const std::string& line)
{
    std::size_t n = 0;
    while (n < s.size() && name_char(s[n], n == 0, colon)) ++n;
    if (n == 0) throw std::runtime_error("expected a name: " + line);
    std::string name(s.substr(0, n));
    s.remove_prefix(n);
    return name;
}

inline void expect(std::string_view& s, char c, const std::string& line)
{
    if (s.empty() || s.front() != c) throw std::runtime_error(std::string("expected '") + c + "': " + line);
    s.remove_prefix(1);
}

// A label value up to its closing quote, unescaped.
inline std::string take_value(std::string_view& s, const std::string& line)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '"') {
            s.remove_prefix(i + 1);
            return out;
        }
        if (s[i] == '\n') throw std::runtime_error("raw newline in a label value: " + line);
        if (s[i] != '\\') {
            out += s[i];
            continue;
        }
        if (++i == s.size()) break;
        if (s[i] == 'n')
            out += '\n';
        else if (s[i] == '\\' || s[i] == '"')
            out += s[i];
        else
            throw std::runtime_error("bad escape in a label value: " + line);
    }
    throw std::runtime_error("unterminated label value: " + line);
}

inline double parse_number(std::string_view s, const std::string& line)
{
    if (s == "NaN") return NAN;
    if (s == "+Inf") return INFINITY;
    if (s == "-Inf") return -INFINITY;
    const std::string text(s);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || std::isnan(v) || std::isinf(v))
        throw std::runtime_error("bad sample value: " + line);
    return v;
}

inline Sample parse_sample(std::string_view s, const ParsedFamily& family, const std::string& line)
{
    Sample sample;
    sample.name = take_name(s, true, line);
    const std::string_view suffix =
        std::string_view(sample.name).substr(std::min(family.name.size(), sample.name.size()));
    const bool histogram_part =
        family.type == "histogram" && (suffix == "_bucket" || suffix == "_sum" || suffix == "_count");
    if (!sample.name.starts_with(family.name) || !(suffix.empty() || histogram_part))
        throw std::runtime_error("sample outside its family: " + line);
    std::set<std::string> names;
    if (!s.empty() && s.front() == '{') {
        s.remove_prefix(1);
        while (!s.empty() && s.front() != '}') {
            std::string name = take_name(s, false, line);
            if (!names.insert(name).second) throw std::runtime_error("duplicate label name: " + line);
            expect(s, '=', line);
            expect(s, '"', line);
            sample.labels.emplace_back(std::move(name), take_value(s, line));
            if (!s.empty() && s.front() == ',')
                s.remove_prefix(1);
            else if (s.empty() || s.front() != '}')
                throw std::runtime_error("expected ',' or '}' after a label: " + line);
        }
        expect(s, '}', line);
    }
    expect(s, ' ', line);
    sample.value = parse_number(s, line);  // a timestamp would make this fail: /metrics writes none
    return sample;
}

inline std::string unescape_help(std::string_view s, const std::string& line)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
        } else if (i + 1 < s.size() && (s[i + 1] == '\\' || s[i + 1] == 'n')) {
            out += s[++i] == 'n' ? '\n' : '\\';
        } else {
            throw std::runtime_error("bad escape in HELP: " + line);
        }
    }
    return out;
}

}  // namespace detail

inline std::vector<ParsedFamily> parse_exposition(std::string_view text)
{
    std::vector<ParsedFamily> families;
    std::set<std::string> seen, series;
    if (!text.empty() && text.back() != '\n') throw std::runtime_error("the last line has no newline");
    while (!text.empty()) {
        const auto eol = text.find('\n');
        const std::string line(text.substr(0, eol));
        text.remove_prefix(eol + 1);
        std::string_view s = line;
        if (s.starts_with("# HELP ")) {
            s.remove_prefix(7);
            ParsedFamily f;
            f.name = detail::take_name(s, true, line);
            detail::expect(s, ' ', line);
            f.help = detail::unescape_help(s, line);
            if (!seen.insert(f.name).second) throw std::runtime_error("family repeated: " + line);
            if (!families.empty() && families.back().samples.empty())
                throw std::runtime_error("family without samples before: " + line);
            families.push_back(std::move(f));
        } else if (s.starts_with("# TYPE ")) {
            s.remove_prefix(7);
            if (families.empty() || detail::take_name(s, true, line) != families.back().name || s.empty())
                throw std::runtime_error("TYPE without its HELP: " + line);
            families.back().type = std::string(s.substr(1));
            if (families.back().type != "counter" && families.back().type != "gauge" &&
                families.back().type != "histogram")
                throw std::runtime_error("unexpected TYPE: " + line);
        } else {
            if (families.empty() || families.back().type.empty())
                throw std::runtime_error("sample before TYPE: " + line);
            Sample sample = detail::parse_sample(s, families.back(), line);
            std::string key = sample.name;
            for (const auto& [n, v] : sample.labels) key += '\0' + n + '\0' + v;
            if (!series.insert(key).second) throw std::runtime_error("duplicate series: " + line);
            families.back().samples.push_back(std::move(sample));
        }
    }
    if (!families.empty() && families.back().samples.empty()) throw std::runtime_error("last family has no samples");
    return families;
}

inline const ParsedFamily* find_family(const std::vector<ParsedFamily>& families, std::string_view name)
{
    for (const auto& f : families)
        if (f.name == name) return &f;
    return nullptr;
}

}  // namespace test_support
