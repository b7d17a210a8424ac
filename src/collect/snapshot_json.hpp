// The debugging view of a Snapshot (`--once`, and later /api/vms): every domain, every field that was
// measured (absent fields are left out, never null or 0), devices with their XML attributes.
// Keys follow libvirt's field names (dots after a device index become underscores); units are
// libvirt's (KiB, ns). With the stats groups vcpu_placement and block_iotune on, each vCPU carries host_cpu
// and affinity (a cpulist) and each disk an object "iotune" of the limits that are set, by libvirt's key
// names. Pure; throws only std::bad_alloc.
#pragma once

#include <string>

#include "collect/domain_sample.hpp"

namespace util {
class JsonWriter;
}

namespace collect {

std::string snapshot_to_json(const Snapshot& snapshot, bool pretty = true);

// The optional XML attributes of a NIC (source_*, model, alias) and of a disk (source*, driver_*,
// serial, alias) as fields of the object `w` is in, empty ones left out. Shared with /api/vms, whose
// device objects differ from this view's only in the fields written before these.
void write_nic_sources(util::JsonWriter& w, const NicInfo& nic);
void write_disk_sources(util::JsonWriter& w, const DiskInfo& disk);
// The OpenStack metadata as the object "nova" of the object `w` is in, empty fields left out; shared
// with /api/vms too.
void write_nova(util::JsonWriter& w, const NovaInfo& nova);

}  // namespace collect
