#include "influx/guest_fs_lines.hpp"

#include <unordered_map>

#include "influx/point_builder.hpp"

namespace influx {
namespace {

using detail::ValueRow;

// One row per field: the lines and the README's table both come from here.
constexpr ValueRow<collect::GuestFilesystem> fs_rows[] = {
    {"fs_size", [](const collect::GuestFilesystem& f) { return f.size_bytes; },
     "devtype=fs: virDomainGetGuestInfo fs.N.total-bytes (guest agent), bytes"},
    {"fs_used", [](const collect::GuestFilesystem& f) { return f.used_bytes; },
     "devtype=fs: virDomainGetGuestInfo fs.N.used-bytes (guest agent), bytes"},
};

}  // namespace

std::vector<Point> guest_fs_points(const collect::Snapshot& now, const collect::GuestAgentSnapshot& guests,
                                   const MeasurementOptions& options)
{
    std::vector<Point> out;
    if (!guests.enabled || (options.measurements & config::m_vm_devices) == 0) return out;
    std::unordered_map<std::string_view, const collect::GuestAgentSample*> by_uuid;
    for (const auto& g : guests.domains)
        if (g.age_seconds && !g.filesystems.empty()) by_uuid.emplace(g.uuid, &g);
    if (by_uuid.empty()) return out;
    const auto ts = std::chrono::duration_cast<std::chrono::nanoseconds>(now.taken_at.time_since_epoch());
    detail::Builder b(options, ts.count(), out);
    for (const auto& d : now.domains) {
        const auto it = by_uuid.find(d.uuid);
        if (it == by_uuid.end()) continue;
        for (const auto& fs : it->second->filesystems) {
            Point& p = b.point("vm_devices", d, {{"devtype", "fs"}, {"device", fs.mountpoint}});
            for (const auto& row : fs_rows) detail::add(p, row.field, row.get(fs));
        }
    }
    std::erase_if(out, [](const Point& p) { return p.fields.empty(); });
    return out;
}

void append_guest_fs_lines(const collect::Snapshot& now, const collect::GuestAgentSnapshot& guests,
                           const MeasurementOptions& options, Precision precision, std::vector<std::string>& lines)
{
    append_lines(guest_fs_points(now, guests, options), precision, lines);
}

std::vector<FieldInfo> guest_fs_field_catalog()
{
    std::vector<FieldInfo> out;
    for (const auto& r : fs_rows) out.push_back({"vm_devices", r.field, "integer", r.source});
    return out;
}

}  // namespace influx
