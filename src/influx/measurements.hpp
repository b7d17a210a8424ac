// A Snapshot as the four InfluxDB measurements existing users query (SPEC §3), and two more:
//   vm_metrics   state, cpus, maxmem, mem, cputime; job_* while a job runs (virDomainGetJobStats)
//   vm_features  rates between the previous snapshot and this one (cores busy, KiB/s, bytes/s)
//   vm_devices   one point per NIC and per disk (extra tags devtype=nic|disk, device=<target>)
//   vm_totals    sums over the domain's devices and vCPUs, plus memory and CPU values of the domain
//   vm_vcpus     one point per vCPU (extra tag vcpu=<index>): state, cputime (vcpu.N.time), wait, delay
//   vm_extra     the numeric fields the parser kept by name (optional stats groups), names made safe
// The seed's four keep every field name, type and tag they had; fields added later come after them.
// options.measurements picks which are built. Every point carries the tags VMID, name, uuid, host (when
// known) and the configured extra tags; an extra tag cannot replace one of those (the first of two equal
// keys wins in encode()). All points of a snapshot carry its taken_at. Each field is one row of a table
// in measurements.cpp or vcpu_extra_lines.cpp, and field_catalog() lists them (the README's table is
// its output).
//
// Missing values are left out, never 0:
//   - a total over devices is present when at least one device reported that field, and is the sum over
//     the devices that did;
//   - a rate needs the domain (same uuid) in both snapshots, the value in both, and a counter that did
//     not go backwards (a restarted VM gives no rate that time); the first push has no vm_features;
//     memrate is the change of rss, which may be negative, and memangle = atan(memrate) in degrees;
//   - a point left without fields is not emitted.
// Values are libvirt's units: memory in KiB, times in ns. Counters stay integers (written with `i`),
// rates are floats. Pure functions; safe from any thread; throw only std::bad_alloc.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "collect/domain_sample.hpp"
#include "config/choices.hpp"
#include "influx/line_protocol.hpp"

namespace influx {

struct MeasurementOptions {
    std::string host;                                  // `host` tag: the hypervisor's name; empty: no tag
    std::map<std::string, std::string> extra_tags;     // push.extra_tags, on every point
    unsigned measurements = config::all_measurements;  // push.measurements: config::Measurement bits
};

std::vector<Point> measurements(const collect::Snapshot& current, const collect::Snapshot* previous,
                                const MeasurementOptions& options);

// measurements() encoded, one line each without a newline (what the pusher queues).
std::vector<std::string> measurement_lines(const collect::Snapshot& current, const collect::Snapshot* previous,
                                           const MeasurementOptions& options, Precision precision);

struct FieldInfo {
    std::string_view measurement;
    std::string_view field;  // vm_extra: a pattern ("perf_*")
    std::string_view type;   // "integer" or "float"
    std::string source;      // where the value comes from, with its unit
};

// Every field of every measurement, in the order the lines carry them.
std::vector<FieldInfo> field_catalog();

}  // namespace influx
