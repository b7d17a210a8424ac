// GET /api/vms, also registered at the seed's /api/telemetry/vms (server.cpp): the domains of the last
// collection with their devices from the device cache.
// Thread-safety: a Snapshot is immutable and holds the cache's entries as shared_ptr<const
// DomainDevices>, so the HTTP threads read devices without the cache's lock and without racing an
// eviction or a refresh (which replace entries, never modify them).
#include <civetweb.h>

#include "collect/domain_state.hpp"
#include "collect/snapshot_json.hpp"
#include "http/handlers.hpp"
#include "http/response.hpp"
#include "util/json_writer.hpp"

namespace http {
namespace {

// Every attribute DomainDevices holds; empty strings ("not in the XML") are left out.
void write_devices(util::JsonWriter& w, const collect::DomainDevices& dev)
{
    w.field_nonempty("domain_type", dev.domain_type).field_nonempty("os_type", dev.os_type);
    w.field_nonempty("arch", dev.arch).field_nonempty("machine", dev.machine);
    if (dev.nova) collect::write_nova(w, *dev.nova);
    w.key("nics").begin_array();
    for (const auto& n : dev.nics) {
        w.begin_object().field("target", n.target).field("mac", n.mac).field("type", n.type);
        collect::write_nic_sources(w, n);
        w.end_object();
    }
    w.end_array().key("disks").begin_array();
    for (const auto& d : dev.disks) {
        w.begin_object().field("target", d.target).field("bus", d.bus).field("device", d.device).field("type", d.type);
        collect::write_disk_sources(w, d);
        w.end_object();
    }
    w.end_array();
}

}  // namespace

std::string vms_json(const collect::Snapshot* snapshot)
{
    util::JsonWriter w(true);
    w.begin_object();
    if (!snapshot) {
        w.key("collected_at_unix").null().key("domains").begin_array().end_array().end_object();
        return w.take() + "\n";
    }
    w.field("collected_at_unix", std::chrono::duration<double>(snapshot->taken_at.time_since_epoch()).count());
    w.key("domains").begin_array();
    for (const auto& d : snapshot->domains) {
        w.begin_object().field("name", d.name).field("uuid", d.uuid).field("id", d.id);
        w.field_nonempty("vmid", d.vmid);
        if (d.state.state)
            w.field("state", *d.state.state).field("state_name", collect::domain_state(*d.state.state).virsh);
        w.field("state_reason", d.state.reason);
        // Devices come from the domain XML in the cache; without it (XML not available) they are null,
        // which is not the same as a domain without devices.
        if (d.devices) {
            write_devices(w, *d.devices);
        } else {
            w.key("nics").null().key("disks").null();
        }
        w.end_object();
    }
    w.end_array().end_object();
    return w.take() + "\n";
}

bool VmsApiHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    respond_json(conn, [this] {
        const auto snap = status_.latest_snapshot ? status_.latest_snapshot() : nullptr;
        return json_response(200, vms_json(snap.get()));
    });
    return true;
}

}  // namespace http
