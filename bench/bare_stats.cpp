// The floor the exporter is measured against: the bare libvirt calls for the same data, with nothing
// around them (no parsing, no cache, no rendering). Times, ROUNDS times after a warm-up, on one
// connection:
//   - one virConnectGetAllDomainStats with the exporter's default groups and NOWAIT, as it calls it;
//   - with --per-domain (the test driver, whose bulk call returns only state.*): also the per-domain
//     calls the exporter's fill-in makes for each running domain — virDomainGetInfo, GetCPUStats,
//     GetVcpusFlags(MAXIMUM), GetVcpus, MemoryStats, InterfaceStats per NIC, BlockStats and GetBlockInfo
//     per disk — with the device names read from the XML once, outside the timing (the exporter caches
//     them too);
//   - with --by-group: the bulk call for each stats group alone, to see which group costs what.
// Prints one JSON object with the medians.
//   bare_stats URI [ROUNDS] [--per-domain | --by-group]      (ROUNDS 0: one round, no warm-up)
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "util/c_handle.hpp"

namespace {

using Domain = util::CHandle<virDomain, virDomainFree>;

constexpr unsigned groups = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON |
                            VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK;

// A running domain with the target names of its NICs and disks.
struct Running {
    Domain dom;
    std::vector<std::string> nics, disks;
};

// The dev='...' of each <target> inside each <tag ...>...</tag> element of `xml` (enough for the
// generated nodes and libvirt's own output; the exporter uses pugixml).
std::vector<std::string> targets(const std::string& xml, const std::string& tag)
{
    std::vector<std::string> out;
    for (std::size_t pos = xml.find("<" + tag + " "); pos != std::string::npos; pos = xml.find("<" + tag + " ", pos)) {
        const std::size_t end = xml.find("</" + tag + ">", pos);
        const std::size_t t = xml.find("<target dev=", pos);
        if (end == std::string::npos) break;
        if (t != std::string::npos && t < end) {
            const char quote = xml[t + 12];
            out.push_back(xml.substr(t + 13, xml.find(quote, t + 13) - (t + 13)));
        }
        pos = end;
    }
    return out;
}

std::vector<Running> running_domains(virConnectPtr conn)
{
    virDomainPtr* raw = nullptr;
    const int n = virConnectListAllDomains(conn, &raw, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    const util::CHandle<virDomainPtr, std::free> list(raw);  // its handles are moved into `out`
    std::vector<Running> out;
    for (int i = 0; i < n; ++i) {
        Running r{Domain(raw[i]), {}, {}};
        const util::CHandle<char, std::free> xml(virDomainGetXMLDesc(r.dom.get(), 0));
        if (xml) {
            r.nics = targets(xml.get(), "interface");
            r.disks = targets(xml.get(), "disk");
        }
        out.push_back(std::move(r));
    }
    return out;
}

// The fill-in's calls for one domain; returns how many were made.
int per_domain_calls(const Running& r)
{
    virDomainPtr d = r.dom.get();
    int calls = 0;
    virDomainInfo info;
    virDomainGetInfo(d, &info), ++calls;
    std::vector<virTypedParameter> params(16);
    const int filled = virDomainGetCPUStats(d, params.data(), static_cast<unsigned>(params.size()), -1, 1, 0);
    if (filled > 0) virTypedParamsClear(params.data(), filled);
    ++calls;
    const int maximum = virDomainGetVcpusFlags(d, VIR_DOMAIN_VCPU_MAXIMUM);
    ++calls;
    std::vector<virVcpuInfo> vcpus(static_cast<std::size_t>(std::max(maximum, 1)));
    virDomainGetVcpus(d, vcpus.data(), static_cast<int>(vcpus.size()), nullptr, 0), ++calls;
    virDomainMemoryStatStruct mem[VIR_DOMAIN_MEMORY_STAT_NR];
    virDomainMemoryStats(d, mem, VIR_DOMAIN_MEMORY_STAT_NR, 0), ++calls;
    for (const auto& nic : r.nics) {
        virDomainInterfaceStatsStruct st;
        virDomainInterfaceStats(d, nic.c_str(), &st, sizeof st), ++calls;
    }
    for (const auto& disk : r.disks) {
        virDomainBlockStatsStruct st;
        virDomainBlockStats(d, disk.c_str(), &st, sizeof st), ++calls;
        virDomainBlockInfo bi;
        virDomainGetBlockInfo(d, disk.c_str(), &bi, 0), ++calls;
    }
    return calls;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// Median seconds of `rounds` bulk calls for `mask` (after a warm-up, unless `warm_up` is 0); the record
// count in `records`.
double time_bulk(virConnectPtr conn, unsigned mask, int warm_up, int rounds, int& records)
{
    std::vector<double> seconds;
    for (int r = 1 - warm_up; r <= rounds; ++r) {
        virDomainStatsRecordPtr* raw = nullptr;
        const auto start = std::chrono::steady_clock::now();
        records = virConnectGetAllDomainStats(conn, mask, &raw, VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
        const util::CHandle<virDomainStatsRecordPtr, virDomainStatsRecordListFree> list(raw);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (records < 0) return -1;
        if (r > 0) seconds.push_back(s);
    }
    return median(seconds);
}

void quiet(void*, virErrorPtr) {}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s URI [ROUNDS] [--per-domain]\n", argv[0]);
        return 2;
    }
    // ROUNDS 0: one timed round without a warm-up (the caller interleaves single rounds with other work).
    const int asked = argc > 2 ? std::atoi(argv[2]) : 5;
    const int rounds = std::max(1, asked);
    const int warm_up = asked > 0 ? 1 : 0;
    const bool per_domain = argc > 3 && std::strcmp(argv[3], "--per-domain") == 0;
    const bool by_group = argc > 3 && std::strcmp(argv[3], "--by-group") == 0;
    virSetErrorFunc(nullptr, quiet);  // an unsupported per-domain call is expected, not news
    const util::CHandle<virConnect, virConnectClose> conn(virConnectOpenReadOnly(argv[1]));
    if (!conn) return 1;

    int records = 0;
    const double bulk = time_bulk(conn.get(), groups, warm_up, rounds, records);
    if (bulk < 0) return 1;
    std::printf("{\"bench\":\"bare_stats\",\"records\":%d,\"median_seconds\":%.4f", records, bulk);
    if (per_domain) {
        const auto domains = running_domains(conn.get());
        std::vector<double> seconds;
        int calls = 0;
        for (int r = 1 - warm_up; r <= rounds; ++r) {
            calls = 0;
            const auto start = std::chrono::steady_clock::now();
            for (const auto& d : domains) calls += per_domain_calls(d);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (r > 0) seconds.push_back(s);
        }
        std::printf(",\"per_domain_calls\":%d,\"per_domain_seconds\":%.4f,\"bulk_plus_per_domain_seconds\":%.4f", calls,
                    median(seconds), bulk + median(seconds));
    }
    if (by_group) {
        constexpr std::pair<unsigned, const char*> each[] = {
            {VIR_DOMAIN_STATS_STATE, "state"},         {VIR_DOMAIN_STATS_CPU_TOTAL, "cpu_total"},
            {VIR_DOMAIN_STATS_BALLOON, "balloon"},     {VIR_DOMAIN_STATS_VCPU, "vcpu"},
            {VIR_DOMAIN_STATS_INTERFACE, "interface"}, {VIR_DOMAIN_STATS_BLOCK, "block"}};
        int n = 0;
        for (const auto& [mask, name] : each)
            std::printf(",\"%s_seconds\":%.4f", name, time_bulk(conn.get(), mask, warm_up, rounds, n));
    }
    std::printf("}\n");
}
