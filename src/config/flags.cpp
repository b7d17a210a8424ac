// Command-line flags, Prometheus-exporter style: "--flag value" or "--flag=value". The value flags
// override every other source; validate() checks their values and names the flag in its message.
#include <string_view>

#include "config/internal.hpp"
#include "util/text.hpp"

namespace config {
namespace {

struct FlagSpec {
    std::string_view name;
    std::string_view value_name;  // empty: takes no value
    std::string_view help;
};

constexpr FlagSpec specs[] = {
    {"--config", "FILE", "YAML configuration file (see config/exporter.yaml); default: none, built-in defaults"},
    {"--check-config", "", "validate the configuration and exit (0: valid, 2: invalid)"},
    {"--print-config", "", "print the effective configuration as YAML (secrets as \"***\") and exit"},
    {"--version", "", "print the version and exit"},
    {"--once", "", "collect once, print the snapshot as JSON and exit"},
    {"--web.listen-address", "ADDR", "[host]:port to serve on; comma-separated or repeated for several"},
    {"--web.config.file", "FILE", "exporter-toolkit web config (TLS, basic auth)"},
    {"--libvirt.uri", "URI", "libvirt connection URI, e.g. qemu:///system"},
    {"--log.level", "LEVEL", "debug, info, warn or error"},
    {"--help", "", "show this help and exit (also -h)"},
};

const FlagSpec* find_spec(std::string_view name)
{
    for (const auto& s : specs)
        if (s.name == name) return &s;
    return nullptr;
}

void set(Flags& flags, std::string_view name, const std::string& value)
{
    if (name == "--config")
        flags.config_file = value;
    else if (name == "--web.listen-address")
        flags.listen_address = flags.listen_address ? *flags.listen_address + "," + value : value;
    else if (name == "--web.config.file")
        flags.web_config_file = value;
    else if (name == "--libvirt.uri")
        flags.libvirt_uri = value;
    else if (name == "--log.level")
        flags.log_level = value;
    else if (name == "--check-config")
        flags.check_config = true;
    else if (name == "--print-config")
        flags.print_config = true;
    else if (name == "--version")
        flags.version = true;
    else if (name == "--once")
        flags.once = true;
    else if (name == "--help")
        flags.help = true;
}

}  // namespace

Flags parse_flags(int argc, const char* const argv[])
{
    Flags flags;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h") {
            flags.help = true;
            continue;
        }
        const auto eq = arg.find('=');
        const std::string_view name = arg.substr(0, eq);
        const FlagSpec* spec = arg.starts_with("--") ? find_spec(name) : nullptr;
        if (!spec) {
            if (!arg.starts_with("-")) throw ConfigError("unexpected argument \"" + std::string(arg) + "\"");
            throw ConfigError("flag " + std::string(name) + ": unknown flag (see --help)");
        }
        const std::string label = "flag " + std::string(name);
        if (spec->value_name.empty()) {
            if (eq != std::string_view::npos) throw ConfigError(label + ": takes no value");
            set(flags, name, "");
            continue;
        }
        std::string value;
        if (eq != std::string_view::npos) {
            value = std::string(arg.substr(eq + 1));
        } else if (i + 1 < argc && !std::string_view(argv[i + 1]).starts_with("--")) {
            value = argv[++i];  // "--config --once" is a forgotten value, not a file named "--once"
        }
        if (value.empty()) throw ConfigError(label + ": needs a value (" + std::string(spec->value_name) + ")");
        set(flags, name, value);
    }
    return flags;
}

std::string usage_text()
{
    std::string out =
        "Usage: virt-exporter [flags]\n\n"
        "Exports libvirt domain statistics on /metrics (Prometheus) and pushes them to InfluxDB.\n\n"
        "Flags:\n";
    for (const auto& s : specs) {
        std::string left = "  " + std::string(s.name);
        if (!s.value_name.empty()) left += " " + std::string(s.value_name);
        if (left.size() < 30)
            left.resize(30, ' ');
        else
            left += "  ";
        out += left + std::string(s.help) + "\n";
    }
    out += "\nEnvironment (overrides the file, overridden by flags; durations in seconds):\n ";
    for (const auto& f : detail::fields())
        if (f.env) out += " " + std::string(f.env);
    out += "\n\nPrecedence: flags > environment > --config file > built-in defaults.\n";
    return out;
}

namespace detail {

void apply_flags(Config& config, const Flags& flags)
{
    if (flags.listen_address) {
        // "a, b" lists several addresses; empty items are kept so validate() reports them.
        auto& list = config.web.listen_addresses;
        list.clear();
        std::string_view rest = *flags.listen_address;
        for (;;) {
            const auto comma = rest.find(',');
            list.emplace_back(util::trim(rest.substr(0, comma), " "));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
        set_origin(config, "web.listen_addresses", "flag --web.listen-address");
    }
    if (flags.web_config_file) {
        config.web.config_file = *flags.web_config_file;
        set_origin(config, "web.config_file", "flag --web.config.file");
    }
    if (flags.libvirt_uri) {
        config.libvirt.uri = *flags.libvirt_uri;
        set_origin(config, "libvirt.uri", "flag --libvirt.uri");
    }
    if (flags.log_level) {
        // A word of the right kind always fits; one that names no level is validate()'s to report.
        assign_scalar(*find_field("log.level"), config, *flags.log_level);
        set_origin(config, "log.level", "flag --log.level");
    }
}

}  // namespace detail
}  // namespace config
