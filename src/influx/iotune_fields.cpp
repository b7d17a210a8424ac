// vm_devices' I/O limit fields of a disk (stats group block_iotune): one field per limit that is set,
// named limit_ + libvirt's key (limit_total_bytes_sec, ...), in libvirt's units.
#include "influx/point_builder.hpp"

namespace influx::detail {
namespace {

using collect::IoTuneLimit;

struct LimitField {
    const char* field;
    IoTuneLimit limit;
    const char* unit;
};

constexpr LimitField limit_fields[] = {
    {"limit_total_bytes_sec", IoTuneLimit::total_bytes_sec, "bytes/s"},
    {"limit_read_bytes_sec", IoTuneLimit::read_bytes_sec, "bytes/s"},
    {"limit_write_bytes_sec", IoTuneLimit::write_bytes_sec, "bytes/s"},
    {"limit_total_iops_sec", IoTuneLimit::total_iops_sec, "requests/s"},
    {"limit_read_iops_sec", IoTuneLimit::read_iops_sec, "requests/s"},
    {"limit_write_iops_sec", IoTuneLimit::write_iops_sec, "requests/s"},
    {"limit_total_bytes_sec_max", IoTuneLimit::total_bytes_sec_max, "bytes/s, burst"},
    {"limit_read_bytes_sec_max", IoTuneLimit::read_bytes_sec_max, "bytes/s, burst"},
    {"limit_write_bytes_sec_max", IoTuneLimit::write_bytes_sec_max, "bytes/s, burst"},
    {"limit_total_iops_sec_max", IoTuneLimit::total_iops_sec_max, "requests/s, burst"},
    {"limit_read_iops_sec_max", IoTuneLimit::read_iops_sec_max, "requests/s, burst"},
    {"limit_write_iops_sec_max", IoTuneLimit::write_iops_sec_max, "requests/s, burst"},
    {"limit_total_bytes_sec_max_length", IoTuneLimit::total_bytes_sec_max_length, "s"},
    {"limit_read_bytes_sec_max_length", IoTuneLimit::read_bytes_sec_max_length, "s"},
    {"limit_write_bytes_sec_max_length", IoTuneLimit::write_bytes_sec_max_length, "s"},
    {"limit_total_iops_sec_max_length", IoTuneLimit::total_iops_sec_max_length, "s"},
    {"limit_read_iops_sec_max_length", IoTuneLimit::read_iops_sec_max_length, "s"},
    {"limit_write_iops_sec_max_length", IoTuneLimit::write_iops_sec_max_length, "s"},
    {"limit_size_iops_sec", IoTuneLimit::size_iops_sec, "bytes"},
};
static_assert(std::size(limit_fields) == collect::iotune_limit_count, "one field per IoTuneLimit");

}  // namespace

void add_iotune_fields(Point& p, const collect::DiskSample& disk)
{
    for (const auto& f : limit_fields) add(p, f.field, limit(disk.iotune, f.limit));
}

void iotune_catalog(std::vector<FieldInfo>& out)
{
    for (const auto& f : limit_fields) {
        const auto key = util::name_of<IoTuneLimit>(collect::iotune_limit_names, f.limit);
        out.push_back({"vm_devices", f.field, "integer",
                       "disk: virDomainGetBlockIoTune " + std::string(key) + " (" + f.unit +
                           "; stats group block_iotune, when set)"});
    }
}

}  // namespace influx::detail
