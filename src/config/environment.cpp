// The environment variables existing deployments use (the `env` column of the field table), and
// VIRT_EXPORTER_WEB_MAX_CONNECTIONS (containers; the sanitized test runs, where each of 2048 threads
// costs ASan ~140 KiB and TSan ~1.2 MiB). They override the file and are overridden by flags. Durations without a unit
// are seconds, as they always were (POLL_INTERVAL=5, BATCH_MAX_SEC=1); a unit is accepted too ("500ms").
#include <cstdlib>

#include "config/internal.hpp"

namespace config {

std::optional<std::string> process_getenv(const char* name)
{
    const char* v = std::getenv(name);
    if (!v) return std::nullopt;
    return std::string(v);
}

namespace detail {

// Throws ConfigError "environment NAME: <problem>"; the problem never quotes a secret, since secrets
// are strings and a string always fits.
void apply_environment(Config& config, Getenv getenv)
{
    if (!getenv) return;
    for (const auto& field : fields()) {
        if (!field.env) continue;
        const auto value = getenv(field.env);
        if (!value) continue;
        const std::string origin = std::string("environment ") + field.env;
        if (auto problem = assign_scalar(field, config, *value)) throw ConfigError(origin + ": " + *problem);
        set_origin(config, std::string(field.path), origin);
    }
}

}  // namespace detail
}  // namespace config
