#include "collect/guest_filesystems.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <string_view>

#include "util/text.hpp"

namespace collect {
namespace {

// "N.rest" → N and rest; nullopt when `key` does not start with a decimal index below `bound`.
std::optional<std::size_t> take_index(std::string_view& key, std::size_t bound)
{
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
    if (ec != std::errc{} || end == key.data() || end == key.data() + key.size() || *end != '.') return std::nullopt;
    if (index >= bound) return std::nullopt;
    key.remove_prefix(static_cast<std::size_t>(end - key.data()) + 1);
    return index;
}

// A count as libvirt gives it (UINT), clamped to [0, bound]; nullopt when it is not a number.
std::optional<std::size_t> count_of(const virt::TypedValue& value, std::size_t bound)
{
    if (const auto* u = std::get_if<std::uint64_t>(&value))
        return static_cast<std::size_t>(std::min<std::uint64_t>(*u, bound));
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return *i <= 0 ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint64_t>(*i), bound));
    return std::nullopt;
}

std::optional<std::uint64_t> bytes_of(const virt::TypedValue& value)
{
    if (const auto* u = std::get_if<std::uint64_t>(&value)) return *u;
    if (const auto* i = std::get_if<std::int64_t>(&value); i && *i >= 0) return static_cast<std::uint64_t>(*i);
    return std::nullopt;
}

void set_text(std::string& out, const virt::TypedValue& value)
{
    const auto* s = std::get_if<std::string>(&value);
    if (!s) return;
    std::string scratch;
    out = util::valid_utf8(std::string_view(*s).substr(0, max_guest_text), scratch);
}

struct Slot {
    GuestFilesystem fs;
    std::optional<std::size_t> disk_count;
};

void apply_disk(Slot& slot, std::string_view key, const virt::TypedValue& value)
{
    const auto m = take_index(key, max_guest_disks);
    if (!m) return;
    if (slot.fs.disks.size() <= *m) slot.fs.disks.resize(*m + 1);
    GuestDisk& disk = slot.fs.disks[*m];
    if (key == "alias")
        set_text(disk.alias, value);
    else if (key == "serial")
        set_text(disk.serial, value);
    else if (key == "device")
        set_text(disk.device, value);
}

void apply(Slot& slot, std::string_view key, const virt::TypedValue& value)
{
    if (key == "mountpoint")
        set_text(slot.fs.mountpoint, value);
    else if (key == "name")
        set_text(slot.fs.name, value);
    else if (key == "fstype")
        set_text(slot.fs.fstype, value);
    else if (key == "total-bytes")
        slot.fs.size_bytes = bytes_of(value);
    else if (key == "used-bytes")
        slot.fs.used_bytes = bytes_of(value);
    else if (key == "disk.count")
        slot.disk_count = count_of(value, max_guest_disks);
    else if (key.starts_with("disk."))
        apply_disk(slot, key.substr(5), value);
}

}  // namespace

std::string GuestFilesystem::disk_aliases() const
{
    std::string out;
    for (const auto& d : disks) {
        if (d.alias.empty()) continue;
        if (!out.empty()) out += ',';
        out += d.alias;
    }
    return out;
}

std::vector<GuestFilesystem> parse_guest_filesystems(const std::vector<virt::TypedParam>& params)
{
    // fs.count bounds the indexes taken; without it (never seen from libvirt) every index below the bound is.
    std::size_t count = max_guest_filesystems;
    for (const auto& p : params)
        if (p.field == "fs.count") count = count_of(p.value, max_guest_filesystems).value_or(0);
    std::vector<Slot> slots;
    for (const auto& p : params) {
        std::string_view key = p.field;
        if (!key.starts_with("fs.")) continue;
        key.remove_prefix(3);
        const auto n = take_index(key, count);
        if (!n) continue;
        if (slots.size() <= *n) slots.resize(*n + 1);
        apply(slots[*n], key, p.value);
    }
    std::vector<GuestFilesystem> out;
    std::set<std::string> seen;
    for (auto& slot : slots) {
        if (slot.fs.mountpoint.empty() || !seen.insert(slot.fs.mountpoint).second) continue;
        // Disks past disk.count are not the filesystem's; missing ones (no alias, serial or device) say nothing.
        if (slot.disk_count && slot.fs.disks.size() > *slot.disk_count) slot.fs.disks.resize(*slot.disk_count);
        std::erase_if(slot.fs.disks,
                      [](const GuestDisk& d) { return d.alias.empty() && d.serial.empty() && d.device.empty(); });
        out.push_back(std::move(slot.fs));
    }
    return out;
}

}  // namespace collect
