// Wires the InfluxDB push loop to the collection pipeline: the writer for the configured API, the four
// measurements as the line producer, and the push counters for /metrics.
// Throws: make_pusher() throws std::runtime_error (spool directory, libcurl) with context.
#pragma once

#include <memory>

#include "collect/snapshot_store.hpp"
#include "config/config.hpp"
#include "influx/pusher.hpp"
#include "prom/families.hpp"

namespace app {

// Null when push is not configured (no URL, or push.enabled: false).
std::unique_ptr<influx::Pusher> make_pusher(const config::Config& config, collect::SnapshotStore& store);

prom::PushStatus push_status(const influx::PushStats& stats);

}  // namespace app
