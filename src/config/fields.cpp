// The table of settings (one row per key, in the order --print-config shows them) and where each value
// came from. Nothing here throws except std::bad_alloc.
#include <limits>

#include "config/internal.hpp"
#include "util/overload.hpp"

namespace config::detail {
namespace {

// Text of the right kind that names nothing waits in config.unparsed for validate(): a higher source may
// still replace it (INFLUX_API=v2 over a file's "api: v9" is a valid configuration).
Problem defer(Config& config, std::string_view path, Problem problem)
{
    if (problem)
        config.unparsed[std::string(path)] = std::move(*problem);
    else
        config.unparsed.erase(std::string(path));
    return std::nullopt;
}

std::string list_prefix(const Field& field)
{
    return std::string(field.path) + "[";
}

// One row: the key path is the member path, so the YAML layout mirrors the structs by construction.
#define VE_FIELD(Kind, section, member, ...)                                          \
    Field                                                                             \
    {                                                                                 \
#section "." #member, Kind{{[](Config & c) -> auto& {return c.section.member; \
    }                                                                                 \
    }                                                                                 \
    }                                                                                 \
    , __VA_ARGS__                                                                     \
    }

const std::vector<Field> table = {
    VE_FIELD(StringField, libvirt, uri, "LIBVIRT_URI"),
    VE_FIELD(BoolField, libvirt, read_only, nullptr),
    VE_FIELD(SecondsField, libvirt, timeout, "LIBVIRT_TIMEOUT"),
    VE_FIELD(MaskField<virt::StatsGroup>, libvirt, stats_groups, nullptr),
    VE_FIELD(BoolField, libvirt, nowait, nullptr),
    VE_FIELD(UnsignedField, libvirt, parallel, nullptr),
    VE_FIELD(PatternListField, libvirt, domains.include, nullptr),
    VE_FIELD(PatternListField, libvirt, domains.exclude, nullptr),
    VE_FIELD(BoolField, libvirt, inactive, nullptr),
    VE_FIELD(SecondsField, libvirt, device_cache_ttl, "DEVICE_CACHE_TTL"),
    VE_FIELD(BoolField, libvirt, storage_pools, nullptr),
    VE_FIELD(SecondsField, libvirt, storage_pools_interval, nullptr),
    VE_FIELD(BoolField, libvirt, guest_agent.enabled, nullptr),
    VE_FIELD(SecondsField, libvirt, guest_agent.interval, nullptr),
    VE_FIELD(SecondsField, libvirt, keepalive_interval, nullptr),
    VE_FIELD(UnsignedField, libvirt, keepalive_count, nullptr),
    VE_FIELD(MillisField, libvirt, reconnect_backoff_min, nullptr),
    VE_FIELD(MillisField, libvirt, reconnect_backoff_max, nullptr),

    VE_FIELD(ListField, web, listen_addresses, nullptr),
    VE_FIELD(StringField, web, telemetry_path, nullptr),
    VE_FIELD(StringField, web, health_path, nullptr),
    VE_FIELD(StringField, web, config_file, nullptr),
    VE_FIELD(MillisField, web, scrape_timeout, nullptr),
    VE_FIELD(MillisField, web, max_snapshot_age, nullptr),
    VE_FIELD(UnsignedField, web, max_connections, "VIRT_EXPORTER_WEB_MAX_CONNECTIONS"),
    VE_FIELD(MillisField, web, request_timeout, nullptr),
    VE_FIELD(MillisField, web, keep_alive_timeout, nullptr),

    VE_FIELD(OptBoolField, push, enabled, nullptr),
    VE_FIELD(StringField, push, url, "INFLUX_URL", false, true),
    VE_FIELD(ListField, push, urls, nullptr, false, true),
    VE_FIELD(EnumField<PushApi>, push, api, "INFLUX_API"),
    VE_FIELD(StringField, push, database, "INFLUX_DB"),
    VE_FIELD(StringField, push, retention_policy, nullptr),
    VE_FIELD(StringField, push, org, "INFLUX_ORG"),
    VE_FIELD(StringField, push, bucket, nullptr),
    VE_FIELD(StringField, push, username, nullptr),
    VE_FIELD(StringField, push, password, nullptr, true),
    VE_FIELD(StringField, push, password_file, nullptr),
    VE_FIELD(StringField, push, token, "INFLUX_TOKEN", true),
    VE_FIELD(StringField, push, token_file, nullptr),
    VE_FIELD(EnumField<Precision>, push, precision, nullptr),
    VE_FIELD(MillisField, push, interval, "POLL_INTERVAL"),
    VE_FIELD(CountField, push, batch_max_lines, "BATCH_MAX_LINES"),
    VE_FIELD(MillisField, push, batch_max_sec, "BATCH_MAX_SEC"),
    VE_FIELD(CountField, push, buffer_max_lines, nullptr),
    VE_FIELD(BoolField, push, gzip, nullptr),
    VE_FIELD(MillisField, push, timeout, nullptr),
    VE_FIELD(StringField, push, spool_dir, nullptr),
    VE_FIELD(BytesField, push, spool_max_bytes, nullptr),
    VE_FIELD(MillisField, push, shutdown_timeout, nullptr),
    VE_FIELD(MillisField, push, retry_backoff_min, nullptr),
    VE_FIELD(MillisField, push, retry_backoff_max, nullptr),
    VE_FIELD(PatternField, push, vmid_regex, nullptr),
    VE_FIELD(StringField, push, host_tag, nullptr),
    VE_FIELD(MapField, push, extra_tags, nullptr),
    VE_FIELD(MaskField<Measurement>, push, measurements, nullptr),
    VE_FIELD(StringField, push, tls_ca_file, nullptr),
    VE_FIELD(BoolField, push, tls_insecure_skip_verify, nullptr),
    VE_FIELD(StringField, push, tls_cert_file, nullptr),
    VE_FIELD(StringField, push, tls_key_file, nullptr),
    VE_FIELD(StringField, push, proxy, nullptr, false, true),
    VE_FIELD(StringField, push, no_proxy, nullptr),
    // A sub-map: "push.v3.no_sync" is `v3: {no_sync: ...}` under push in YAML and JSON.
    VE_FIELD(BoolField, push, v3.no_sync, nullptr),
    VE_FIELD(BoolField, push, v3.accept_partial, nullptr),

    VE_FIELD(EnumField<util::LogLevel>, log, level, nullptr),
    VE_FIELD(EnumField<util::LogFormat>, log, format, nullptr),
};

#undef VE_FIELD

}  // namespace

const std::vector<Field>& fields()
{
    return table;
}

const Field* find_field(std::string_view path)
{
    for (const auto& f : table)
        if (f.path == path) return &f;
    return nullptr;
}

bool is_subsection(std::string_view path)
{
    for (const auto& f : table)
        if (f.path.size() > path.size() && f.path.starts_with(path) && f.path[path.size()] == '.') return true;
    return false;
}

std::string_view section_of(std::string_view path)
{
    return path.substr(0, path.find('.'));
}

std::string_view name_of(std::string_view path)
{
    const auto dot = path.find('.');
    return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

Problem assign_scalar(const Field& field, Config& config, std::string_view text)
{
    return std::visit(
        util::Overload{
            [&](const StringField& f) -> Problem { return f.get(config) = std::string(text), std::nullopt; },
            [&](const BoolField& f) -> Problem { return parse_bool(text, f.get(config)); },
            [&](const OptBoolField& f) -> Problem {
                bool v = false;
                if (auto p = parse_bool(text, v)) return p;
                return f.get(config) = v, std::nullopt;
            },
            [&](const SecondsField& f) -> Problem {
                std::int64_t ms = 0;
                if (auto p = parse_duration_ms(text, ms)) return p;
                // These go to libvirt, which counts whole seconds.
                if (ms % 1000 != 0) return "must be a whole number of seconds, got \"" + std::string(text) + "\"";
                return f.get(config) = std::chrono::seconds(ms / 1000), std::nullopt;
            },
            [&](const MillisField& f) -> Problem {
                std::int64_t ms = 0;
                if (auto p = parse_duration_ms(text, ms)) return p;
                return f.get(config) = std::chrono::milliseconds(ms), std::nullopt;
            },
            [&](const UnsignedField& f) -> Problem {
                std::uint64_t v = 0;
                if (auto p = parse_unsigned(text, std::numeric_limits<unsigned>::max(), v)) return p;
                return f.get(config) = static_cast<unsigned>(v), std::nullopt;
            },
            [&](const CountField& f) -> Problem {
                std::uint64_t v = 0;
                if (auto p = parse_unsigned(text, std::numeric_limits<std::size_t>::max(), v)) return p;
                return f.get(config) = static_cast<std::size_t>(v), std::nullopt;
            },
            [&](const BytesField& f) -> Problem { return parse_bytes(text, f.get(config)); },
            [&](const ListField&) -> Problem { return "must be a list"; },
            [&](const MapField&) -> Problem { return "must be a map"; },
            [&]<class E>(const MaskField<E>&) -> Problem { return "must be a list"; },
            [&](const PatternListField&) -> Problem { return "must be a list"; },
            [&]<class E>(const EnumField<E>& f) -> Problem {
                const auto value = util::value_named(names(E{}), text);
                if (value) f.get(config) = *value;
                return defer(config, field.path, value ? Problem() : not_one_of(util::names_listed(names(E{})), text));
            },
            [&](const PatternField& f) -> Problem {
                return defer(config, field.path, Pattern::compile(std::string(text), f.get(config)));
            },
        },
        field.binding);
}

std::string not_one_of(std::string_view names_listed, std::string_view text)
{
    return "must be one of " + std::string(names_listed) + ", got \"" + std::string(text) + "\"";
}

bool takes_text(const Field& field)
{
    return std::visit(util::Overload{
                          [](const StringField&) { return true; },
                          [](const PatternField&) { return true; },
                          []<class E>(const EnumField<E>&) { return true; },
                          [](const auto&) { return false; },
                      },
                      field.binding);
}

bool is_list(const Field& field)
{
    return std::visit(util::Overload{
                          [](const ListField&) { return true; },
                          []<class E>(const MaskField<E>&) { return true; },
                          [](const PatternListField&) { return true; },
                          [](const auto&) { return false; },
                      },
                      field.binding);
}

void clear_list(const Field& field, Config& config)
{
    if (const auto* list = std::get_if<ListField>(&field.binding)) list->get(config).clear();
    std::visit(util::Overload{[&]<class E>(const MaskField<E>& mask) { mask.get(config) = 0; }, [](const auto&) {}},
               field.binding);
    if (const auto* patterns = std::get_if<PatternListField>(&field.binding)) patterns->get(config).clear();
    const std::string prefix = list_prefix(field);
    auto& u = config.unparsed;
    for (auto it = u.lower_bound(prefix); it != u.end() && it->first.starts_with(prefix);) it = u.erase(it);
}

void append_item(const Field& field, Config& config, const std::string& item_path, std::string_view text)
{
    // Only the first bad item of a list is kept: it is the one validate() reports.
    auto first_problem = [&](std::string problem) {
        const std::string prefix = list_prefix(field);
        const auto it = config.unparsed.lower_bound(prefix);
        if (it == config.unparsed.end() || !it->first.starts_with(prefix))
            config.unparsed[item_path] = std::move(problem);
    };
    if (const auto* list = std::get_if<ListField>(&field.binding)) list->get(config).emplace_back(text);
    std::visit(util::Overload{[&]<class E>(const MaskField<E>& mask) {
                                  const auto table = names(E{});
                                  if (const auto bit = util::value_named(table, text))
                                      mask.get(config) |= *bit;
                                  else
                                      first_problem(not_one_of(util::names_listed(table), text));
                              },
                              [](const auto&) {}},
               field.binding);
    if (const auto* patterns = std::get_if<PatternListField>(&field.binding)) {
        Pattern pattern;
        if (auto problem = Pattern::compile(std::string(text), pattern))
            first_problem(std::move(*problem));
        else
            patterns->get(config).push_back(std::move(pattern));
    }
}

void set_origin(Config& config, const std::string& key, std::string where)
{
    auto& o = config.origins;
    for (auto it = o.lower_bound(key); it != o.end() && it->first.starts_with(key);) {
        const std::string_view rest = std::string_view(it->first).substr(key.size());
        if (rest.empty() || rest.front() == '[' || rest.front() == '.')
            it = o.erase(it);
        else
            ++it;
    }
    o[key] = std::move(where);
}

std::string where(const Config& config, const std::string& key)
{
    for (std::string k = key; !k.empty();) {
        if (auto it = config.origins.find(k); it != config.origins.end()) return it->second;
        const auto cut = k.find_last_of("[.");
        if (cut == std::string::npos || cut <= k.find('.')) break;  // stop at the field itself
        k.resize(cut);
    }
    return key;
}

int origin_rank(const Config& config, const std::string& key)
{
    const auto it = config.origins.find(key);
    if (it == config.origins.end()) return 0;
    if (it->second.starts_with("flag ")) return 3;
    if (it->second.starts_with("environment ")) return 2;
    return 1;
}

}  // namespace config::detail
