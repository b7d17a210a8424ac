#include "http/seed_api.hpp"

#include "util/text.hpp"

#include <cctype>

namespace http {
namespace {

// What the seed showed for a URL: that it is set, never what it is.
std::string masked(const std::string& value)
{
    return value.empty() ? "" : "***";
}

}  // namespace

void write_seed_status_fields(util::JsonWriter& w, const std::optional<prom::PushStatus>& push)
{
    // Without a push nothing runs, was written or is queued: false and zeros are the truth, not a guess.
    w.field("running", push ? push->running : false);
    w.field("total_metrics_written", push ? push->lines_written : std::uint64_t{0});
    w.field("influx_queue_size", push ? push->queued_lines : std::uint64_t{0});
}

std::string seed_config_json(const config::Config& config)
{
    // Masked in the copy both renderings read, so our keys and the seed's say the same.
    config::Config shown = config;
    shown.libvirt.uri = masked(config.libvirt.uri);
    shown.push.url = masked(config.push.url);
    std::string json = config::to_json(shown);
    // to_json always renders a non-empty object; its closing brace makes room for the seed's keys.
    if (json.size() < 2 || json.back() != '}') return json;
    json.pop_back();
    for (const auto& s : config::env_settings(shown)) {
        json += ',';
        util::append_json_string(json, util::ascii_lower(s.env));
        json += ':' + s.json_value;
    }
    return json + '}';
}

}  // namespace http
