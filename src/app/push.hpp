// Wires the InfluxDB push loop to the collection pipeline: the writer for the configured API, the four
// measurements (and storage_pools) as the line producer, and the push counters for /metrics.
// Throws: make_pusher() throws std::runtime_error (spool directory, libcurl) with context.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "collect/guest_agent_collector.hpp"
#include "collect/pool_collector.hpp"
#include "collect/snapshot_store.hpp"
#include "config/config.hpp"
#include "influx/pusher.hpp"
#include "prom/families.hpp"

namespace instr {
class Instruments;
}

namespace app {

// Null when push is not configured (no URL, or push.enabled: false). Each write's duration and line
// count go to `instruments` (may be null; borrowed: it must outlive the pusher), recorded on the pusher's
// sender thread.
// `pools` (null when libvirt.storage_pools is off; borrowed, it must outlive the pusher) adds the
// storage_pools measurement to every push, from the collector's last answers. `guests` (null when
// libvirt.guest_agent.enabled is off; borrowed likewise) adds the vm_devices lines with devtype=fs.
std::unique_ptr<influx::Pusher> make_pusher(const config::Config& config, collect::SnapshotStore& store,
                                            instr::Instruments* instruments = nullptr,
                                            const collect::PoolCollector* pools = nullptr,
                                            const collect::GuestAgentCollector* guests = nullptr);

prom::PushStatus push_status(const influx::PushStats& stats);

// Lines in a write body (virt_exporter_push_batch_lines): each ends in a newline, the last one maybe not.
std::size_t lines_in(std::string_view body) noexcept;

}  // namespace app
