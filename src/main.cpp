// Composition root: flags → configuration → one of the run modes. Configuration errors exit with 2.
#include <cstdio>
#include <iostream>

#include "app/daemon.hpp"
#include "build_info.hpp"
#include "config/config.hpp"
#include "util/log.hpp"

int main(int argc, char** argv)
{
    config::Flags flags;
    config::Config config;
    try {
        flags = config::parse_flags(argc, argv);
        if (flags.help) {
            std::cout << config::usage_text();
            return 0;
        }
        if (flags.version) {
            std::cout << "virt-exporter " << VIRT_EXPORTER_VERSION << "\n";
            return 0;
        }
        config = config::load(flags);
        if (!flags.once) app::check_web_config(config);
    } catch (const config::ConfigError& e) {
        std::cerr << "virt-exporter: " << e.what() << "\n";
        return 2;
    }
    if (flags.check_config) {
        std::cout << "configuration OK" << (config.source_file.empty() ? "" : ": " + config.source_file) << "\n";
        return 0;
    }
    if (flags.print_config) {
        std::cout << config::to_yaml(config);
        return 0;
    }
    util::set_log_level(config.log.level);
    util::set_log_format(config.log.format);
    return flags.once ? app::run_once(config) : app::run_daemon(config, flags);
}
