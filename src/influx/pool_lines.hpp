// The storage pools as the push's `storage_pools` measurement: one point per pool that answered, with
// the tags pool, type and host (when known) and the configured extra tags, and integer fields (sizes in
// bytes, as virStoragePoolGetInfo reports them). A pool that never answered gives no point; a timed-out
// one gives its previous answer with timed_out=1. Pure functions; safe from any thread; throw only
// std::bad_alloc.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "collect/pool_sample.hpp"
#include "influx/line_protocol.hpp"
#include "influx/measurements.hpp"

namespace influx {

std::vector<Point> pool_points(const collect::PoolSnapshot& pools, std::chrono::system_clock::time_point at,
                               const MeasurementOptions& options);

// pool_points() encoded, appended to `lines` one line each without a newline (what the pusher queues).
void append_pool_lines(const collect::PoolSnapshot& pools, std::chrono::system_clock::time_point at,
                       const MeasurementOptions& options, Precision precision, std::vector<std::string>& lines);

// The fields of storage_pools with their libvirt source, in the order the lines carry them.
std::vector<FieldInfo> pool_field_catalog();

}  // namespace influx
