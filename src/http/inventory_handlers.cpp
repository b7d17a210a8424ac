// GET /api/vms (the domains of the last collection with their devices from the device cache) and
// GET /api/config (the effective configuration, secrets masked by config::to_json).
#include <civetweb.h>

#include "http/handlers.hpp"
#include "http/response.hpp"
#include "util/json_writer.hpp"

namespace http {
namespace {

Response json(int status, std::string body)
{
    return Response{status, "application/json", std::move(body), "", ""};
}

// virsh's words for virDomainState.
const char* state_name(int state)
{
    static constexpr const char* names[] = {"no state", "running",  "blocked", "paused",
                                            "shutdown", "shut off", "crashed", "pmsuspended"};
    return state >= 0 && state < static_cast<int>(std::size(names)) ? names[state] : "unknown";
}

void write_devices(util::JsonWriter& w, const collect::DomainDevices& dev)
{
    w.key("nics").begin_array();
    for (const auto& n : dev.nics) {
        w.begin_object().field("target", n.target).field("mac", n.mac).field("type", n.type);
        w.field_nonempty("source_bridge", n.source_bridge).field_nonempty("source_network", n.source_network);
        w.field_nonempty("source_dev", n.source_dev).field_nonempty("model", n.model).end_object();
    }
    w.end_array().key("disks").begin_array();
    for (const auto& d : dev.disks) {
        w.begin_object().field("target", d.target).field("bus", d.bus).field("device", d.device).field("type", d.type);
        w.field_nonempty("source", d.source).field_nonempty("driver_type", d.driver_type);
        w.field_nonempty("driver_cache", d.driver_cache).field_nonempty("serial", d.serial).end_object();
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
        if (d.state.state) w.field("state", *d.state.state).field("state_name", state_name(*d.state.state));
        w.field("state_reason", d.state.reason);
        // Devices come from the domain XML in the cache; without it (XML not available) they are null,
        // which is not the same as a domain without devices.
        if (d.devices) {
            w.field_nonempty("domain_type", d.devices->domain_type);
            write_devices(w, *d.devices);
        } else {
            w.key("nics").null().key("disks").null();
        }
        w.end_object();
    }
    w.end_array().end_object();
    return w.take() + "\n";
}

bool VmsApiHandler::handleGet(CivetServer*, mg_connection* conn)
{
    try {
        const auto snap = status_.latest_snapshot ? status_.latest_snapshot() : nullptr;
        send(conn, json(200, vms_json(snap.get())));
    } catch (const std::exception&) {
        send(conn, json(500, "{\"error\":\"internal error\"}\n"));
    }
    return true;
}

bool ConfigApiHandler::handleGet(CivetServer*, mg_connection* conn)
{
    try {
        if (status_.config_json)
            send(conn, json(200, status_.config_json() + "\n"));
        else
            send(conn, json(404, "{\"error\":\"no configuration to show\"}\n"));
    } catch (const std::exception&) {
        send(conn, json(500, "{\"error\":\"internal error\"}\n"));
    }
    return true;
}

}  // namespace http
