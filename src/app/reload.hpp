// SIGHUP: the configuration read again while the daemon runs. What can change live changes live (the log
// level, libvirt.device_cache_ttl); every other change is reported as needing a restart, and a
// configuration that does not load is rejected with the running one kept.
//
// Thread: the main thread only (run_daemon's signal loop); it sets the process-wide log level and the
// cache's TTL, both safe to change while other threads log and collect.
#pragma once

#include "collect/device_cache.hpp"
#include "config/config.hpp"

namespace app {

enum class ReloadOutcome {
    rejected,        // the file did not load: logged at error level, nothing changed
    reloaded,        // the new configuration is the running one
    restart_needed,  // the live settings applied; other changes logged as taking effect after a restart
};

// Loads the configuration again with `flags` (config::load). Unless rejected, applies the new log level
// and device_cache_ttl (to `cache`) and copies them into `current`, which keeps every other setting:
// `current` stays the configuration in force. Throws only std::bad_alloc.
ReloadOutcome reload(config::Config& current, const config::Flags& flags, collect::DeviceCache& cache);

}  // namespace app
