#include "virt/stats_call.hpp"

#include <libvirt/virterror.h>

#include <array>
#include <climits>
#include <unordered_map>
#include <utility>

#include "util/log.hpp"
#include "virt/libvirt_error.hpp"
#include "virt/typed_params.hpp"

namespace virt::detail {
namespace {

// Whether the calling thread's last error could be a refused flag: unsupported, or any invalid argument
// (the wording of virCheckFlags' message has changed over the years).
bool flag_may_be_refused()
{
    const virErrorPtr err = virGetLastError();
    if (!err) return false;
    return err->code == VIR_ERR_INVALID_ARG ||
           classify_error(err->code, err->domain, err->message ? err->message : "") == ErrorKind::unsupported;
}

}  // namespace

int call_stats(bool nowait, DriverQuirks& quirks, const char* call_name, const StatsCall& call, StatsRecordList& out)
{
    const bool with_nowait = nowait && !quirks.nowait_refused;
    int n = call(with_nowait ? unsigned{VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT} : 0u, out);
    if (n < 0 && with_nowait && flag_may_be_refused()) {
        // Daemons older than 4.5 do not know NOWAIT (virCheckFlags: "unsupported flags"). If the call
        // works without it, go without it for the rest of this connection.
        const std::string refusal = last_error(call_name).what();
        n = call(0, out);
        if (n >= 0 && !quirks.nowait_refused.exchange(true))
            util::log_info("virt", "libvirt refused VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT (" + refusal +
                                       "); collecting without it on this connection");
    }
    if (n < 0) throw_last_error(call_name);
    return n;
}

std::string uuid_of(virDomainPtr dom)
{
    std::array<char, VIR_UUID_STRING_BUFLEN> buf{};
    if (!dom || virDomainGetUUIDString(dom, buf.data()) < 0) return {};
    return buf.data();
}

DomainRef domain_ref(virDomainPtr dom)
{
    DomainRef ref;
    if (const char* name = virDomainGetName(dom)) ref.name = name;
    ref.uuid = uuid_of(dom);
    // (unsigned)-1 means "not running"; libvirt ids never come near INT_MAX otherwise.
    const unsigned id = virDomainGetID(dom);
    ref.id = id > static_cast<unsigned>(INT_MAX) ? -1 : static_cast<int>(id);
    return ref;
}

void append_records(const StatsRecordList& list, int n, std::vector<DomainStatsRecord>& out)
{
    out.reserve(out.size() + static_cast<std::size_t>(n));
    for (int i = 0; i < n && list[i]; ++i) {
        const virDomainStatsRecordPtr rec = list[i];
        out.push_back(DomainStatsRecord{domain_ref(rec->dom), convert_typed_params(rec->params, rec->nparams)});
    }
}

static_assert((VIR_DOMAIN_STATS_VM & libvirt_stats_groups_mask) != 0 &&
                  (VIR_DOMAIN_STATS_STATE & libvirt_stats_groups_mask) != 0,
              "libvirt_stats_groups_mask covers libvirt's stats groups");
static_assert((pseudo_stats_groups & (VIR_DOMAIN_STATS_VM * 2 - 1)) == 0, "pseudo groups collide with libvirt's");

std::vector<DomainStatsRecord> all_stats(LiveConnection& live, unsigned groups, bool nowait)
{
    StatsRecordList records;
    const int n = call_stats(
        nowait, live.quirks(), "virConnectGetAllDomainStats",
        [&live, groups](unsigned flags, StatsRecordList& out) {
            virDomainStatsRecordPtr* raw = nullptr;
            const int count = virConnectGetAllDomainStats(live.get(), libvirt_stats_groups(groups), &raw, flags);
            out.reset(raw);
            return count;
        },
        records);

    std::vector<DomainStatsRecord> out;
    append_records(records, n, out);
    std::unordered_map<std::string, SharedDomain> handles;
    for (int i = 0; i < n && records[i]; ++i)
        if (auto handle = ref_domain(records[i]->dom))
            handles.emplace(out[static_cast<std::size_t>(i)].domain.uuid, std::move(handle));
    live.remember_domains(std::move(handles));
    return out;
}

}  // namespace virt::detail
