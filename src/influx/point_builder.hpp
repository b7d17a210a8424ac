// What the measurement files share: the points of one snapshot with their tags, and the one way a value
// becomes a field. Internal to influx (measurements.cpp, vcpu_extra_lines.cpp, iotune_fields.cpp, guest_fs_lines.cpp,
// pool_lines.cpp). The Builder appends
// to a vector its caller owns and keeps references to it and to the options; one Builder per measurements() call, on
// the calling thread. Nothing here throws except std::bad_alloc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collect/domain_sample.hpp"
#include "influx/measurements.hpp"

namespace influx::detail {

class Builder {
public:
    Builder(const MeasurementOptions& options, std::int64_t timestamp_ns, std::vector<Point>& out)
        : options_(options), ts_(timestamp_ns), out_(out)
    {
    }

    // Whether push.measurements asks for this measurement.
    bool wanted(config::Measurement m) const noexcept { return (options_.measurements & m) != 0; }

    // A point with `identity` (what it describes), the host tag and `extra` (devtype/device, vcpu);
    // push.extra_tags come last so that an extra tag never replaces one of these (the first of two equal
    // keys wins in encode()).
    Point& point(const char* measurement, std::vector<Tag> identity, std::vector<Tag> extra = {})
    {
        Point& p = out_.emplace_back();
        p.measurement = measurement;
        p.timestamp_ns = ts_;
        p.tags = std::move(identity);
        p.tags.push_back({"host", options_.host});
        for (auto& t : extra) p.tags.push_back(std::move(t));
        for (const auto& [k, v] : options_.extra_tags) p.tags.push_back({k, v});
        return p;
    }

    // A domain's point: its VMID, name and uuid as the identity.
    Point& point(const char* measurement, const collect::DomainSample& d, std::vector<Tag> extra = {})
    {
        return point(measurement, {{"VMID", d.vmid}, {"name", d.name}, {"uuid", d.uuid}}, std::move(extra));
    }

private:
    const MeasurementOptions& options_;
    std::int64_t ts_;
    std::vector<Point>& out_;
};

// A measured value as an integer field; an unmeasured one is left out, never 0.
inline void add(Point& p, const char* field, collect::OptU64 value)
{
    if (value) p.fields.push_back({field, *value});
}

// One integer field of a table: its name, how it is read from a sample, and its libvirt source (the
// catalog's and the README's "source" column).
template <typename Sample>
struct ValueRow {
    const char* field;
    collect::OptU64 (*get)(const Sample&);
    const char* source;
};

// A state enum as an integer field: a negative value (never libvirt's) is not written.
inline collect::OptU64 non_negative(std::optional<int> v)
{
    return v && *v >= 0 ? collect::OptU64(static_cast<std::uint64_t>(*v)) : std::nullopt;
}

// vm_vcpus (one point per vCPU) and vm_extra (the optional groups) of one domain, when wanted
// (vcpu_extra_lines.cpp).
void add_vcpu_points(Builder& b, const collect::DomainSample& d);
void add_extra_point(Builder& b, const collect::DomainSample& d);
// Their rows of field_catalog().
void vcpu_extra_catalog(std::vector<FieldInfo>& out);
// A disk's I/O limits into its vm_devices point, and their rows of field_catalog() (iotune_fields.cpp).
void add_iotune_fields(Point& p, const collect::DiskSample& disk);
void iotune_catalog(std::vector<FieldInfo>& out);

}  // namespace influx::detail
