#include "app/reload.hpp"

#include <exception>
#include <string>

#include "util/log.hpp"

namespace app {
ReloadOutcome reload(config::Config& current, const config::Flags& flags, collect::DeviceCache& cache)
{
    config::Config next;
    try {
        next = config::load(flags);
    } catch (const std::exception& e) {
        util::log_error("config", std::string("reload rejected, keeping the running configuration: ") + e.what());
        return ReloadOutcome::rejected;
    }
    config::Config live_part = current;
    live_part.log = next.log;
    live_part.libvirt.device_cache_ttl = next.libvirt.device_cache_ttl;
    util::set_log_level(next.log.level);
    util::set_log_format(next.log.format);
    cache.set_ttl(next.libvirt.device_cache_ttl);
    const bool restart_needed = !live_part.same_settings(next);
    if (restart_needed)
        util::log_warn("config",
                       "reloaded; log level, log format and device_cache_ttl applied, other changes take effect "
                       "after a restart");
    else
        util::log_info("config", "reloaded");
    current = live_part;
    return restart_needed ? ReloadOutcome::restart_needed : ReloadOutcome::reloaded;
}

}  // namespace app
