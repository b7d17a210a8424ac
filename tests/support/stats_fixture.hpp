// Test support: reads stats records in the format `virsh domstats --raw` prints
//   Domain: 'name'
//     field=value
// into virt::DomainStatsRecord values. Integers become uint64 (int64 when negative), decimals double,
// anything else a string — the types libvirt's typed parameters carry for those fields.
#pragma once

#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/file.hpp"
#include "virt/domain_source.hpp"

namespace test_support {

inline std::string fixture_path(const std::string& relative)
{
    const char* dir = std::getenv("VIRT_EXPORTER_FIXTURES");
    return std::string(dir ? dir : "tests/fixtures") + "/" + relative;
}

inline std::string read_file(const std::string& path)
{
    std::string error;
    auto text = util::read_file(path, &error);
    if (!text) throw std::runtime_error("cannot read fixture " + path + ": " + error);
    return std::move(*text);
}

inline virt::TypedValue typed_value_of(const std::string& text)
{
    if (!text.empty()) {
        char* end = nullptr;
        if (text[0] == '-') {
            const long long v = std::strtoll(text.c_str(), &end, 10);
            if (*end == '\0') return static_cast<std::int64_t>(v);
        } else if (text.find_first_not_of("0123456789") == std::string::npos) {
            return static_cast<std::uint64_t>(std::strtoull(text.c_str(), nullptr, 10));
        }
        if (text.find_first_not_of("0123456789.-e+") == std::string::npos) {
            const double d = std::strtod(text.c_str(), &end);
            if (*end == '\0') return d;
        }
    }
    return text;
}

inline std::vector<virt::DomainStatsRecord> parse_domstats(const std::string& text)
{
    std::vector<virt::DomainStatsRecord> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("Domain: '", 0) == 0 && line.size() >= 10 && line.back() == '\'') {
            virt::DomainStatsRecord r;
            r.domain.name = line.substr(9, line.size() - 10);
            r.domain.uuid = "uuid-of-" + r.domain.name;
            r.domain.id = 1;
            out.push_back(std::move(r));
            continue;
        }
        const auto start = line.find_first_not_of(' ');
        const auto eq = line.find('=');
        if (out.empty() || start == std::string::npos || eq == std::string::npos) continue;
        const std::string field = line.substr(start, eq - start), value = line.substr(eq + 1);
        // virsh prints no id; libvirt gives -1 to a domain that is not running (shut off, crashed).
        if (field == "state.state" && (value == "5" || value == "6")) out.back().domain.id = -1;
        out.back().params.push_back({field, typed_value_of(value)});
    }
    return out;
}

inline std::vector<virt::DomainStatsRecord> load_domstats(const std::string& relative)
{
    return parse_domstats(read_file(fixture_path(relative)));
}

}  // namespace test_support
