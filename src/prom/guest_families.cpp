// Guest filesystems through the guest agent (libvirt.guest_agent), from GuestAgentCollector's last
// answers (collect/guest_agent_collector.hpp), which run on their own thread: these families never wait
// for libvirt or an agent. The domains are those the collector asked, not the snapshot's.
#include "prom/families.hpp"

namespace prom {
namespace {

constexpr Family up_family{"libvirt_domain_guest_agent_up",
                           "1 when the domain's guest agent answered its last virDomainGetGuestInfo call, 0 when it "
                           "failed (no agent, or one that does not answer: then asked again after a backoff).",
                           Type::gauge};
constexpr Family age_family{"libvirt_domain_guest_agent_age_seconds",
                            "Seconds since the guest agent answer the guest filesystem values come from.", Type::gauge};
constexpr Family size_family{"libvirt_domain_guest_filesystem_size_bytes",
                             "Size of a filesystem mounted in the guest, in bytes (virDomainGetGuestInfo "
                             "fs.N.total-bytes, from the guest agent).",
                             Type::gauge};
constexpr Family used_family{"libvirt_domain_guest_filesystem_used_bytes",
                             "Bytes used on a filesystem mounted in the guest (virDomainGetGuestInfo "
                             "fs.N.used-bytes, from the guest agent).",
                             Type::gauge};

}  // namespace

void write_guest_families(const Scrape& scrape, const DomainLabels&, TextWriter& out)
{
    const collect::GuestAgentSnapshot& snap = scrape.guests;
    if (!snap.enabled) return;
    std::vector<std::string> sets(snap.domains.size());
    for (std::size_t d = 0; d < snap.domains.size(); ++d) {
        append_label(sets[d], "domain", snap.domains[d].name);
        append_label(sets[d], "uuid", snap.domains[d].uuid);
    }
    out.family(up_family);
    for (std::size_t d = 0; d < snap.domains.size(); ++d) out.sample(sets[d], snap.domains[d].up ? 1 : 0);
    out.family(age_family);
    for (std::size_t d = 0; d < snap.domains.size(); ++d) out.sample(sets[d], snap.domains[d].age_seconds);

    std::string more;
    const auto per_filesystem = [&](const Family& family, auto value) {
        out.family(family);
        for (std::size_t d = 0; d < snap.domains.size(); ++d) {
            for (const auto& fs : snap.domains[d].filesystems) {
                more.clear();
                append_label(more, "mountpoint", fs.mountpoint);
                append_label(more, "fstype", fs.fstype);
                append_label(more, "disk", fs.disk_aliases());
                out.sample(sets[d], more, value(fs));
            }
        }
    };
    per_filesystem(size_family, [](const collect::GuestFilesystem& fs) { return fs.size_bytes; });
    per_filesystem(used_family, [](const collect::GuestFilesystem& fs) { return fs.used_bytes; });
}

}  // namespace prom
