#include "collect/snapshot_json.hpp"

#include <ctime>

#include "util/json_writer.hpp"
#include "virt/domain_source.hpp"

namespace collect {
namespace {

using util::JsonWriter;

std::string rfc3339(std::chrono::system_clock::time_point t)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
    return buf;
}

double seconds(std::chrono::nanoseconds d)
{
    return std::chrono::duration<double>(d).count();
}

void write_nic(JsonWriter& w, const NicSample& n)
{
    w.begin_object().field("name", n.name);
    w.field("rx_bytes", n.rx_bytes).field("rx_pkts", n.rx_pkts).field("rx_errs", n.rx_errs);
    w.field("rx_drop", n.rx_drop).field("tx_bytes", n.tx_bytes).field("tx_pkts", n.tx_pkts);
    w.field("tx_errs", n.tx_errs).field("tx_drop", n.tx_drop);
    if (const NicInfo* i = n.info) {
        w.key("info").begin_object().field_nonempty("mac", i->mac).field_nonempty("type", i->type);
        write_nic_sources(w, *i);
        w.end_object();
    }
    w.end_object();
}

void write_disk(JsonWriter& w, const DiskSample& d)
{
    w.begin_object().field("name", d.name).field_nonempty("path", d.path);
    w.field("rd_reqs", d.rd_reqs).field("rd_bytes", d.rd_bytes).field("rd_times", d.rd_times);
    w.field("wr_reqs", d.wr_reqs).field("wr_bytes", d.wr_bytes).field("wr_times", d.wr_times);
    w.field("fl_reqs", d.fl_reqs).field("fl_times", d.fl_times).field("errors", d.errors);
    w.field("allocation", d.allocation).field("capacity", d.capacity).field("physical", d.physical);
    // Only the limits that are set, under libvirt's key names; no object when none is (or the group is off).
    bool any_limit = false;
    for (const auto& [which, key] : iotune_limit_names) {
        const auto& value = limit(d.iotune, which);
        if (!value) continue;
        if (!any_limit) w.key("iotune").begin_object();
        any_limit = true;
        w.field(key, *value);
    }
    if (any_limit) w.end_object();
    if (const DiskInfo* i = d.info) {
        w.key("info").begin_object().field_nonempty("bus", i->bus).field_nonempty("device", i->device);
        w.field_nonempty("type", i->type);
        write_disk_sources(w, *i);
        w.end_object();
    }
    w.end_object();
}

void write_xml(JsonWriter& w, const DomainDevices& x)
{
    w.key("xml").begin_object().field_nonempty("domain_type", x.domain_type);
    w.field_nonempty("os_type", x.os_type).field_nonempty("arch", x.arch).field_nonempty("machine", x.machine);
    if (x.balloon_period) w.field("balloon_period", *x.balloon_period);
    if (x.nova) write_nova(w, *x.nova);
    w.end_object();
}

void write_domain(JsonWriter& w, const DomainSample& s)
{
    w.begin_object().field("name", s.name).field("uuid", s.uuid).field("id", s.id).field_nonempty("vmid", s.vmid);
    w.key("state").begin_object().field("state", s.state.state).field("reason", s.state.reason).end_object();
    w.key("cpu").begin_object().field("time", s.cpu.time).field("user", s.cpu.user);
    w.field("system", s.cpu.system).end_object();
    const BalloonStats& b = s.balloon;
    w.key("balloon").begin_object().field("current", b.current).field("maximum", b.maximum);
    w.field("swap_in", b.swap_in).field("swap_out", b.swap_out).field("major_fault", b.major_fault);
    w.field("minor_fault", b.minor_fault).field("unused", b.unused).field("available", b.available);
    w.field("usable", b.usable).field("rss", b.rss).field("disk_caches", b.disk_caches);
    w.field("hugetlb_pgalloc", b.hugetlb_pgalloc).field("hugetlb_pgfail", b.hugetlb_pgfail);
    w.field("last_update", b.last_update).end_object();
    w.key("vcpu").begin_object().field("current", s.vcpu.current).field("maximum", s.vcpu.maximum).end_object();
    w.key("vcpus").begin_array();
    for (const auto& v : s.vcpus) {
        w.begin_object().field("index", v.index).field("state", v.state).field("time", v.time);
        w.field("wait", v.wait).field("delay", v.delay).field("host_cpu", v.host_cpu);
        w.field_nonempty("affinity", v.affinity).end_object();
    }
    w.end_array().key("nics").begin_array();
    for (const auto& n : s.nics) write_nic(w, n);
    w.end_array().key("disks").begin_array();
    for (const auto& d : s.disks) write_disk(w, d);
    w.end_array().key("extra").begin_object();
    for (const auto& e : s.extra) w.field(e.name, e.value);
    w.end_object();
    if (s.devices) write_xml(w, *s.devices);
    w.field("skipped_devices", s.skipped_devices).end_object();
}

}  // namespace

void write_nic_sources(JsonWriter& w, const NicInfo& nic)
{
    w.field_nonempty("source_bridge", nic.source_bridge).field_nonempty("source_network", nic.source_network);
    w.field_nonempty("source_dev", nic.source_dev).field_nonempty("model", nic.model);
    w.field_nonempty("mtu", nic.mtu).field_nonempty("alias", nic.alias);
}

void write_nova(JsonWriter& w, const NovaInfo& nova)
{
    w.key("nova").begin_object().field_nonempty("instance_name", nova.instance_name);
    w.field_nonempty("flavor", nova.flavor).field_nonempty("project_name", nova.project_name);
    w.field_nonempty("project_uuid", nova.project_uuid).field_nonempty("user_name", nova.user_name);
    w.field_nonempty("user_uuid", nova.user_uuid).field_nonempty("root_type", nova.root_type);
    w.field_nonempty("root_uuid", nova.root_uuid).end_object();
}

void write_disk_sources(JsonWriter& w, const DiskInfo& disk)
{
    w.field_nonempty("source", disk.source).field_nonempty("source_protocol", disk.source_protocol);
    w.field_nonempty("source_name", disk.source_name).field_nonempty("driver_name", disk.driver_name);
    w.field_nonempty("driver_type", disk.driver_type).field_nonempty("driver_cache", disk.driver_cache);
    w.field_nonempty("driver_discard", disk.driver_discard).field_nonempty("serial", disk.serial);
    w.field_nonempty("alias", disk.alias);
}

std::string snapshot_to_json(const Snapshot& snap, bool pretty)
{
    JsonWriter w(pretty);
    w.begin_object().field("taken_at", rfc3339(snap.taken_at)).field("sequence", snap.sequence);
    w.field("duration_seconds", seconds(snap.duration)).field("libvirt_up", snap.libvirt_up);
    w.field("complete", snap.complete).field("error", snap.error);
    w.key("groups").begin_array();
    for (const auto& g : snap.groups) {
        w.begin_object().field("group", virt::stats_group_name(g.group)).field("success", g.success);
        w.field("per_domain", g.per_domain).field("duration_seconds", seconds(g.duration));
        w.field("error", g.error).end_object();
    }
    w.end_array()
        .field("domains_skipped", snap.domains_skipped)
        .field("domains_filtered", snap.domains_filtered)
        .key("domains")
        .begin_array();
    for (const auto& d : snap.domains) write_domain(w, d);
    w.end_array().end_object();
    std::string out = w.take();
    out += '\n';
    return out;
}

}  // namespace collect
