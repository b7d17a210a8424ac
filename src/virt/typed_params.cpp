#include "virt/typed_params.hpp"

#include <array>
#include <string>
#include <utility>

namespace virt::detail {
namespace {

// Counters from the per-domain calls arrive as long long with -1 meaning "not supported by the
// driver"; the bulk call reports them as ULLONG and omits what it does not have. Do the same.
void add_counter(std::vector<TypedParam>& out, std::string_view field, long long value)
{
    if (value >= 0) out.push_back({std::string(field), static_cast<std::uint64_t>(value)});
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> block_names{{
    {VIR_DOMAIN_BLOCK_STATS_READ_REQ, "rd.reqs"},
    {VIR_DOMAIN_BLOCK_STATS_READ_BYTES, "rd.bytes"},
    {VIR_DOMAIN_BLOCK_STATS_READ_TOTAL_TIMES, "rd.times"},
    {VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, "wr.reqs"},
    {VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, "wr.bytes"},
    {VIR_DOMAIN_BLOCK_STATS_WRITE_TOTAL_TIMES, "wr.times"},
    {VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ, "fl.reqs"},
    {VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES, "fl.times"},
    {VIR_DOMAIN_BLOCK_STATS_ERRS, "errors"},
}};

constexpr std::array<std::pair<int, std::string_view>, 13> memory_names{{
    {VIR_DOMAIN_MEMORY_STAT_SWAP_IN, "balloon.swap_in"},
    {VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, "balloon.swap_out"},
    {VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, "balloon.major_fault"},
    {VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, "balloon.minor_fault"},
    {VIR_DOMAIN_MEMORY_STAT_UNUSED, "balloon.unused"},
    {VIR_DOMAIN_MEMORY_STAT_AVAILABLE, "balloon.available"},
    {VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, "balloon.current"},
    {VIR_DOMAIN_MEMORY_STAT_RSS, "balloon.rss"},
    {VIR_DOMAIN_MEMORY_STAT_USABLE, "balloon.usable"},
    {VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, "balloon.last-update"},
    {VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, "balloon.disk_caches"},
    {VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, "balloon.hugetlb_pgalloc"},
    {VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, "balloon.hugetlb_pgfail"},
}};

}  // namespace

bool typed_value(const virTypedParameter& param, TypedValue& out)
{
    // emplace into the caller's value: returning optional<variant<..., string>> trips GCC 12's
    // -Wmaybe-uninitialized under the sanitizers.
    switch (param.type) {
    case VIR_TYPED_PARAM_INT: out.emplace<std::int64_t>(param.value.i); return true;
    case VIR_TYPED_PARAM_LLONG: out.emplace<std::int64_t>(param.value.l); return true;
    case VIR_TYPED_PARAM_UINT: out.emplace<std::uint64_t>(param.value.ui); return true;
    case VIR_TYPED_PARAM_ULLONG: out.emplace<std::uint64_t>(param.value.ul); return true;
    case VIR_TYPED_PARAM_DOUBLE: out.emplace<double>(param.value.d); return true;
    case VIR_TYPED_PARAM_BOOLEAN: out.emplace<bool>(param.value.b != 0); return true;
    case VIR_TYPED_PARAM_STRING: out.emplace<std::string>(param.value.s ? param.value.s : ""); return true;
    default: return false;
    }
}

std::vector<TypedParam> convert_typed_params(const virTypedParameter* params, int count, std::string_view prefix)
{
    std::vector<TypedParam> out;
    if (!params || count <= 0) return out;
    out.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        TypedParam& p = out.emplace_back();
        if (!typed_value(params[i], p.value)) {
            out.pop_back();
            continue;
        }
        p.field.reserve(prefix.size() + std::char_traits<char>::length(params[i].field));
        p.field += prefix;
        p.field += params[i].field;  // NUL-terminated within VIR_TYPED_PARAM_FIELD_LENGTH
    }
    return out;
}

std::string_view block_stats_field(std::string_view libvirt_name) noexcept
{
    for (const auto& [name, field] : block_names)
        if (name == libvirt_name) return field;
    return {};
}

std::string_view memory_stat_field(int tag) noexcept
{
    for (const auto& [t, field] : memory_names)
        if (t == tag) return field;
    return {};
}

std::vector<TypedParam> interface_stats_params(const virDomainInterfaceStatsStruct& s)
{
    std::vector<TypedParam> out;
    add_counter(out, "rx.bytes", s.rx_bytes);
    add_counter(out, "rx.pkts", s.rx_packets);
    add_counter(out, "rx.errs", s.rx_errs);
    add_counter(out, "rx.drop", s.rx_drop);
    add_counter(out, "tx.bytes", s.tx_bytes);
    add_counter(out, "tx.pkts", s.tx_packets);
    add_counter(out, "tx.errs", s.tx_errs);
    add_counter(out, "tx.drop", s.tx_drop);
    return out;
}

std::vector<TypedParam> block_stats_params(const virDomainBlockStatsStruct& s)
{
    std::vector<TypedParam> out;
    add_counter(out, "rd.reqs", s.rd_req);
    add_counter(out, "rd.bytes", s.rd_bytes);
    add_counter(out, "wr.reqs", s.wr_req);
    add_counter(out, "wr.bytes", s.wr_bytes);
    add_counter(out, "errors", s.errs);
    return out;
}

}  // namespace virt::detail
