// The floor the exporter is measured against: the bare libvirt call for the same data, with nothing
// around it. Times `virConnectGetAllDomainStats` (the exporter's default groups, NOWAIT, as it calls it)
// on one connection, ROUNDS times after a warm-up, and prints one JSON object with the median.
//   bare_stats URI [ROUNDS]
#include <libvirt/libvirt.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

struct ConnectClose {
    void operator()(virConnectPtr c) const noexcept { virConnectClose(c); }
};
struct StatsFree {
    void operator()(virDomainStatsRecordPtr* r) const noexcept { virDomainStatsRecordListFree(r); }
};

constexpr unsigned groups = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON |
                            VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK;

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s URI [ROUNDS]\n", argv[0]);
        return 2;
    }
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    std::unique_ptr<virConnect, ConnectClose> conn(virConnectOpenReadOnly(argv[1]));
    if (!conn) return 1;
    std::vector<double> seconds;
    int records = 0;
    for (int r = 0; r <= rounds; ++r) {  // round 0 is a warm-up
        virDomainStatsRecordPtr* raw = nullptr;
        const auto start = std::chrono::steady_clock::now();
        records = virConnectGetAllDomainStats(conn.get(), groups, &raw, VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
        std::unique_ptr<virDomainStatsRecordPtr, StatsFree> list(raw);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (records < 0) return 1;
        if (r > 0) seconds.push_back(s);
    }
    std::sort(seconds.begin(), seconds.end());
    std::printf("{\"bench\":\"bare_stats\",\"records\":%d,\"median_seconds\":%.4f}\n", records,
                seconds[seconds.size() / 2]);
}
