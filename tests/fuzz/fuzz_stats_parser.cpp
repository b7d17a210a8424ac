// Fuzz target: collect::parse_stats_record (src/collect/stats_parser.hpp) on hostile stats records.
//
// Input: the text `virsh domstats --raw` prints (tests/fixtures/stats/*.txt are the seeds):
//   Domain: 'name'
//     field=value
// A value with a type prefix gets that type, so every TypedValue alternative reaches every field:
// `i:` int64, `u:` uint64, `d:` double, `b:` bool ("1"/"true"), `s:` string; without a prefix the type is
// inferred as test_support::typed_value_of does (integers, decimals, else a string).
//
// Checks: no crash, no sanitizer report, no exception but std::bad_alloc; record_has_group() for every
// group bit; and the parser's promises: every NIC and disk has a non-empty name and no two NICs (or two
// disks) share one, so the sinks never see two series with the same labels.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collect/stats_parser.hpp"
#include "support/stats_fixture.hpp"

namespace {

void fail(const char* what, const std::string& name)
{
    std::fprintf(stderr, "fuzz_stats_parser: %s: '%s'\n", what, name.c_str());
    std::abort();
}

virt::TypedValue typed(std::string_view value)
{
    if (value.size() >= 2 && value[1] == ':') {
        const std::string rest(value.substr(2));
        switch (value[0]) {
        case 'i': return static_cast<std::int64_t>(std::strtoll(rest.c_str(), nullptr, 10));
        case 'u': return static_cast<std::uint64_t>(std::strtoull(rest.c_str(), nullptr, 10));
        case 'd': return std::strtod(rest.c_str(), nullptr);
        case 'b': return rest == "1" || rest == "true";
        case 's': return rest;
        default: break;
        }
    }
    return test_support::typed_value_of(std::string(value));
}

std::vector<virt::DomainStatsRecord> decode(std::string_view text)
{
    std::vector<virt::DomainStatsRecord> records;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.starts_with("Domain: '") && line.size() >= 10 && line.back() == '\'') {
            virt::DomainStatsRecord r;
            r.domain.name = std::string(line.substr(9, line.size() - 10));
            r.domain.uuid = "uuid-of-" + r.domain.name;
            r.domain.id = static_cast<int>(records.size()) - 1;
            records.push_back(std::move(r));
            continue;
        }
        const auto start = line.find_first_not_of(' ');
        const auto eq = line.find('=');
        if (start == std::string_view::npos || eq == std::string_view::npos || eq < start) continue;
        if (records.empty()) records.emplace_back();  // fields before any Domain line: an unnamed domain
        records.back().params.push_back({std::string(line.substr(start, eq - start)), typed(line.substr(eq + 1))});
    }
    return records;
}

template <typename Devices>
void check_names(const Devices& devices, const char* kind)
{
    std::set<std::string> seen;
    for (const auto& d : devices) {
        if (d.name.empty()) fail(kind, "empty name");
        if (!seen.insert(d.name).second) fail(kind, d.name);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& record : decode(text)) {
        const collect::DomainSample sample = collect::parse_stats_record(record);
        if (sample.name != record.domain.name) fail("name changed", sample.name);
        check_names(sample.nics, "duplicate or empty NIC name");
        check_names(sample.disks, "duplicate or empty disk name");
        for (unsigned bit = 0; bit < 16; ++bit) (void)collect::record_has_group(record, 1u << bit);
    }
    return 0;
}
