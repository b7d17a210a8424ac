// The effective configuration as YAML (--print-config; loadable again as a config file) and as JSON
// (/api/config). Both walk the field table, so they have the same layout as the file. Secrets print as
// "***" when set and "" when empty; a password inside the push URL is masked the same way. env_settings
// renders the settings that have an environment variable the same way, for the seed API's config answer.
#include "config/internal.hpp"
#include "util/json_writer.hpp"
#include "util/overload.hpp"

namespace config {
namespace detail {

std::string quote(std::string_view text)
{
    // JSON string escaping is also a valid YAML double-quoted scalar.
    std::string out;
    util::append_json_string(out, text);
    return out;
}

}  // namespace detail

namespace {

using namespace detail;

std::string render_list(const std::vector<std::string>& items, bool json, bool urls = false)
{
    std::string out = "[";
    for (const auto& item : items)
        out += (out.size() > 1 ? (json ? "," : ", ") : "") + quote(urls ? mask_url(item) : item);
    return out + "]";
}

// One value as a token valid in both YAML and JSON (flow style for lists and maps).
std::string render_value(const Field& field, Config& c, bool json)
{
    return std::visit(
        util::Overload{
            [&](const StringField& f) {
                const std::string& v = f.get(c);
                if (field.secret) return quote(v.empty() ? "" : "***");
                return quote(field.url ? mask_url(v) : v);
            },
            [&](const BoolField& f) { return std::string(f.get(c) ? "true" : "false"); },
            [&](const OptBoolField& f) {
                const auto& v = f.get(c);
                return std::string(!v ? "null" : *v ? "true" : "false");
            },
            [&](const SecondsField& f) { return std::to_string(f.get(c).count()); },
            [&](const MillisField& f) { return format_seconds(f.get(c).count()); },
            [&](const UnsignedField& f) { return std::to_string(f.get(c)); },
            [&](const CountField& f) { return std::to_string(f.get(c)); },
            [&](const BytesField& f) { return json ? std::to_string(f.get(c)) : quote(format_bytes(f.get(c))); },
            [&](const ListField& f) { return render_list(f.get(c), json, field.url); },
            [&]<class E>(const MaskField<E>& f) {
                std::vector<std::string> listed;
                for (const auto& [bit, name] : names(E{}))
                    if (f.get(c) & bit) listed.emplace_back(name);
                return render_list(listed, json);
            },
            [&]<class E>(const EnumField<E>& f) { return quote(name_of(f.get(c))); },
            [&](const PatternField& f) { return quote(f.get(c).text()); },
            [&](const PatternListField& f) {
                std::vector<std::string> texts;
                for (const auto& p : f.get(c)) texts.push_back(p.text());
                return render_list(texts, json);
            },
            [&](const MapField& f) {
                std::string out = "{";
                for (const auto& [k, v] : f.get(c))
                    out += (out.size() > 1 ? (json ? "," : ", ") : "") + quote(k) + (json ? ":" : ": ") + quote(v);
                return out + "}";
            },
        },
        field.binding);
}

// "push.v3.no_sync" → {"v3", "no_sync"}; "push.url" → {"", "url"}: the map inside the section, if any.
std::pair<std::string_view, std::string_view> split_name(std::string_view path)
{
    const std::string_view name = name_of(path);
    const auto dot = name.find('.');
    if (dot == std::string_view::npos) return {{}, name};
    return {name.substr(0, dot), name.substr(dot + 1)};
}

}  // namespace

std::string to_yaml(const Config& config)
{
    Config c = config;  // the field table hands out mutable references; render from a copy
    std::string out = "# virt-exporter effective configuration";
    out += c.source_file.empty() ? "" : " (file: " + quote(c.source_file) + ")";
    out += "\n# Durations in seconds; secrets shown as \"***\".\n";
    std::string_view section, sub;
    for (const auto& f : fields()) {
        if (section_of(f.path) != section) {
            section = section_of(f.path);
            sub = {};
            out += std::string(section) + ":\n";
        }
        const auto [map, name] = split_name(f.path);
        if (map != sub && !map.empty()) out += "  " + std::string(map) + ":\n";
        sub = map;
        out += (map.empty() ? "  " : "    ") + std::string(name) + ": " + render_value(f, c, false) + "\n";
    }
    return out;
}

std::string to_json(const Config& config)
{
    Config c = config;
    std::string out = "{";
    bool first = true;  // nothing written yet in the innermost open object
    const auto open = [&](std::string_view key) {
        out += (first ? "" : ",") + quote(key) + ":{";
        first = true;
    };
    const auto close = [&] {
        out += "}";
        first = false;
    };
    std::string_view section, sub;
    for (const auto& f : fields()) {
        const auto [map, name] = split_name(f.path);
        if (section_of(f.path) != section) {
            if (!sub.empty()) close();
            if (!section.empty()) close();
            section = section_of(f.path);
            sub = {};
            open(section);
        }
        if (map != sub) {
            if (!sub.empty()) close();
            sub = map;
            if (!sub.empty()) open(sub);
        }
        out += (first ? "" : ",") + quote(name) + ":" + render_value(f, c, true);
        first = false;
    }
    return out + (sub.empty() ? "}}" : "}}}");
}

std::vector<EnvSetting> env_settings(const Config& config)
{
    Config c = config;
    std::vector<EnvSetting> out;
    for (const auto& f : fields()) {
        // VIRT_EXPORTER_* variables are this exporter's own, not the seed collector's: not in its answer.
        if (!f.env || std::string_view(f.env).starts_with("VIRT_EXPORTER_")) continue;
        out.push_back(EnvSetting{f.env, std::string(f.path), render_value(f, c, true)});
    }
    return out;
}

}  // namespace config
