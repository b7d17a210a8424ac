// The seed collector's REST API: the deployments virt-exporter replaces ran a Python collector whose web UI
// and scripts call POST /api/telemetry/start|stop and GET /api/telemetry/status|vms|config. Those paths are
// aliases of ours (/api/push/start|stop, /api/status, /api/vms, /api/config) with the same access rules;
// their answers are ours plus the seed's field names where ours differ, rendered here.
//
// Field mapping (README, "Endpoints"): status — running = push.running, total_metrics_written =
// push.lines_written, influx_queue_size = push.queue_size (false, 0 and 0 when no push is configured);
// config — one key per environment variable existing deployments set, lower-cased (libvirt_uri,
// libvirt_timeout, device_cache_ttl, influx_url, influx_api, influx_db, influx_org, influx_token,
// poll_interval, batch_max_lines, batch_max_sec), with the value of the setting it sets.
//
// Pure functions; thread-safe (no state). Throw only std::bad_alloc.
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"
#include "prom/families.hpp"
#include "util/json_writer.hpp"

namespace http {

// Writes running, total_metrics_written and influx_queue_size into the object `w` has open.
// push: the push loop's status, nullopt when no push is configured.
void write_seed_status_fields(util::JsonWriter& w, const std::optional<prom::PushStatus>& push);

// The answer of GET /api/telemetry/config: config::to_json's object (every secret "***") with what the
// seed also masked — the libvirt URI and the InfluxDB URL, which can hold host names and credentials —
// as "***" too (also under our own keys libvirt.uri and push.url; "" when unset), followed by the seed's
// keys at the top level. One line, no trailing newline, like to_json.
std::string seed_config_json(const config::Config& config);

}  // namespace http
