// The two ways the program runs once its configuration is loaded. Both return the process exit code
// and catch everything: main() only maps their result to the exit status.
#pragma once

#include "config/config.hpp"

namespace app {

// --once: connect, collect one snapshot, print it as JSON on stdout. Exit code 0 when libvirt answered,
// 1 when it did not (the JSON still says why).
int run_once(const config::Config& config) noexcept;

// The daemon: collection pipeline + HTTP server until SIGTERM/SIGINT (exit 0). SIGHUP re-reads the
// configuration with the same flags; a bad new configuration is rejected and the old one stays.
// Must be called before any other thread exists (it blocks the handled signals for all threads).
int run_daemon(const config::Config& config, const config::Flags& flags) noexcept;

// Loads web.config_file (when set) as the daemon will, certificates and keys included, so that a bad
// file stops the start (and --check-config) with exit code 2. Throws config::ConfigError naming the file.
void check_web_config(const config::Config& config);

}  // namespace app
