// A Snapshot as the four InfluxDB measurements existing users query (SPEC §3): vm_metrics, vm_features
// (rates between this and the previous snapshot), vm_devices (one point per NIC and disk) and
// vm_totals (sums over the domain's devices plus memory and CPU fields). Field names are fixed by those
// users' queries; each is one row in a table in measurements.cpp.
//
// Missing values are left out, never 0: a total is present when at least one device reported that
// field (the sum over those that did), a rate when both snapshots have the value and it did not go
// backwards (a restarted VM), and a point with no field left is not emitted. Pure and thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "collect/domain_sample.hpp"
#include "influx/line_protocol.hpp"

namespace influx {

struct MeasurementOptions {
    std::string host;                              // `host` tag: the hypervisor's name
    std::map<std::string, std::string> extra_tags;  // push.extra_tags, on every point
};

std::vector<Point> measurements(const collect::Snapshot& current, const collect::Snapshot* previous,
                                const MeasurementOptions& options);

// measurements() encoded, one line each (what the pusher queues).
std::vector<std::string> measurement_lines(const collect::Snapshot& current, const collect::Snapshot* previous,
                                           const MeasurementOptions& options, Precision precision);

}  // namespace influx
