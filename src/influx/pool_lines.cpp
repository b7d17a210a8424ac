#include "influx/pool_lines.hpp"

#include <cstdint>

#include "influx/point_builder.hpp"

namespace influx {
namespace {

struct PoolRow {
    const char* field;
    std::int64_t (*value)(const collect::PoolSample&);
    const char* source;
};

std::int64_t bytes(std::uint64_t v)
{
    return static_cast<std::int64_t>(v);  // a pool of more than 8 EiB does not exist
}

// One row per field: the lines and the README's table both come from here.
constexpr PoolRow pool_rows[] = {
    {"state", [](const collect::PoolSample& p) -> std::int64_t { return p.info.state; },
     "virStoragePoolGetInfo state (0 inactive, 1 building, 2 running, 3 degraded, 4 inaccessible)"},
    {"capacity", [](const collect::PoolSample& p) { return bytes(p.info.capacity); },
     "virStoragePoolGetInfo capacity, bytes"},
    {"allocation", [](const collect::PoolSample& p) { return bytes(p.info.allocation); },
     "virStoragePoolGetInfo allocation, bytes"},
    {"available", [](const collect::PoolSample& p) { return bytes(p.info.available); },
     "virStoragePoolGetInfo available, bytes"},
    {"timed_out", [](const collect::PoolSample& p) -> std::int64_t { return p.timed_out ? 1 : 0; },
     "1 when virStoragePoolGetInfo did not answer within libvirt.timeout (values: the previous round's)"},
};

}  // namespace

std::vector<Point> pool_points(const collect::PoolSnapshot& pools, std::chrono::system_clock::time_point at,
                               const MeasurementOptions& options)
{
    std::vector<Point> out;
    const auto ts = std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
    detail::Builder b(options, ts, out);
    for (const auto& pool : pools.pools) {
        if (!pool.answered) continue;
        Point& p = b.point("storage_pools", {{"pool", pool.name}, {"type", pool.type}});
        for (const auto& row : pool_rows) p.fields.push_back({row.field, row.value(pool)});
    }
    return out;
}

void append_pool_lines(const collect::PoolSnapshot& pools, std::chrono::system_clock::time_point at,
                       const MeasurementOptions& options, Precision precision, std::vector<std::string>& lines)
{
    append_lines(pool_points(pools, at, options), precision, lines);
}

std::vector<FieldInfo> pool_field_catalog()
{
    std::vector<FieldInfo> out;
    for (const auto& r : pool_rows) out.push_back({"storage_pools", r.field, "integer", r.source});
    return out;
}

}  // namespace influx
