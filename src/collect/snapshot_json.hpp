// The debugging view of a Snapshot (`--once`, and later /api/vms): every domain, every field that was
// measured (absent fields are left out, never null or 0), devices with their XML attributes.
// Keys follow libvirt's field names (dots after a device index become underscores); units are
// libvirt's (KiB, ns). Pure; throws only std::bad_alloc.
#pragma once

#include <string>

#include "collect/domain_sample.hpp"

namespace collect {

std::string snapshot_to_json(const Snapshot& snapshot, bool pretty = true);

}  // namespace collect
