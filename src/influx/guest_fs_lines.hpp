// The guest filesystems (libvirt.guest_agent) as vm_devices points: one per filesystem of each domain of
// the snapshot whose guest agent ever answered, with the domain's tags, devtype=fs and device=<mountpoint>,
// and the integer fields fs_size and fs_used (bytes; a value the agent did not give is left out). The
// values are the agent's last answer (collect/guest_agent_collector.hpp), stamped with the snapshot's
// time like every line of one push. Only with vm_devices in push.measurements. Pure functions; safe from
// any thread; throw only std::bad_alloc.
#pragma once

#include <string>
#include <vector>

#include "collect/domain_sample.hpp"
#include "collect/guest_agent_sample.hpp"
#include "influx/line_protocol.hpp"
#include "influx/measurements.hpp"

namespace influx {

std::vector<Point> guest_fs_points(const collect::Snapshot& now, const collect::GuestAgentSnapshot& guests,
                                   const MeasurementOptions& options);

// guest_fs_points() encoded, appended to `lines` one line each without a newline (what the pusher queues).
void append_guest_fs_lines(const collect::Snapshot& now, const collect::GuestAgentSnapshot& guests,
                           const MeasurementOptions& options, Precision precision, std::vector<std::string>& lines);

// The fields of the devtype=fs points with their libvirt source.
std::vector<FieldInfo> guest_fs_field_catalog();

}  // namespace influx
