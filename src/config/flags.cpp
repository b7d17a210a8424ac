// Command-line flags, Prometheus-exporter style: "--flag value" or "--flag=value". The value flags
// override every other source; validate() checks their values and names the flag in its message.
#include <string_view>

#include "config/internal.hpp"
#include "util/text.hpp"

namespace config {
namespace {

enum class Kind {
    value,           // "--flag value" or "--flag=value", not empty
    value_or_empty,  // as value, and "--flag=" (or "--flag ''") is the empty value
    none,            // takes no value
    go_bool,         // a Go exporter's boolean: "--flag", "--flag=true|false" or "--no-flag"
};

struct FlagSpec {
    std::string_view name;
    std::string_view value_name;  // for the usage text
    std::string_view help;
    Kind kind;
    bool go;  // one of the Go exporters' flags: listed under their heading in the usage text
};

constexpr FlagSpec specs[] = {
    {"--config", "FILE", "YAML configuration file (see config/exporter.yaml); default: none, built-in defaults",
     Kind::value, false},
    {"--check-config", "", "validate the configuration and exit (0: valid, 2: invalid)", Kind::none, false},
    {"--print-config", "", "print the effective configuration as YAML (secrets as \"***\") and exit", Kind::none,
     false},
    {"--version", "", "print the version and exit", Kind::none, false},
    {"--once", "", "collect once, print the snapshot as JSON and exit", Kind::none, false},
    {"--web.listen-address", "ADDR", "[host]:port to serve on; comma-separated or repeated for several", Kind::value,
     false},
    {"--web.config.file", "FILE", "exporter-toolkit web config (TLS, basic auth)", Kind::value, false},
    {"--libvirt.uri", "URI", "libvirt connection URI, e.g. qemu:///system; or a socket path (see --libvirt.driver)",
     Kind::value, false},
    {"--log.level", "LEVEL", "debug, info, warn or error", Kind::value, false},
    {"--log.format", "FORMAT", "logfmt or json", Kind::value, false},
    {"--help", "", "show this help and exit (also -h)", Kind::none, false},
    {"--web.telemetry-path", "PATH", "web.telemetry_path: path of the metrics", Kind::value, true},
    {"--web.health-path", "PATH", "web.health_path: a path answering as /healthz does; empty: none",
     Kind::value_or_empty, true},
    {"--libvirt.driver", "URI", "the URI a socket-path --libvirt.uri opens (default qemu:///system)", Kind::value,
     true},
    {"--exporter.timeout", "DURATION", "libvirt.timeout: budget of one collection's libvirt calls, whole seconds",
     Kind::value, true},
    {"--exporter.max-concurrent-collects", "N", "libvirt.parallel (1-16)", Kind::value, true},
    {"--libvirt.export-nova-metadata", "", "accepted; nova metadata is always in libvirt_domain_openstack_info",
     Kind::go_bool, true},
    {"--web.systemd-socket", "", "refused: socket activation is not supported", Kind::go_bool, true},
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
    else if (name == "--log.format")
        flags.log_format = value;
    else if (name == "--web.telemetry-path")
        flags.telemetry_path = value;
    else if (name == "--web.health-path")
        flags.health_path = value;
    else if (name == "--libvirt.driver")
        flags.libvirt_driver = value;
    else if (name == "--exporter.timeout")
        flags.exporter_timeout = value;
    else if (name == "--exporter.max-concurrent-collects")
        flags.max_concurrent_collects = value;
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

// A Go exporter's boolean flag, on or off.
void set_go_bool(Flags& flags, std::string_view name, bool on)
{
    if (name == "--libvirt.export-nova-metadata") flags.export_nova_metadata = on;
    if (!on) return;
    if (const auto why = detail::refused_go_flag(name))
        throw ConfigError("flag " + std::string(name) + ": " + std::string(*why));
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
        if (!spec && name.starts_with("--no-") && eq == std::string_view::npos) {
            const FlagSpec* negated = find_spec("--" + std::string(name.substr(5)));
            if (negated && negated->kind == Kind::go_bool) {
                set_go_bool(flags, negated->name, false);
                continue;
            }
        }
        if (!spec) {
            if (!arg.starts_with("-")) throw ConfigError("unexpected argument \"" + std::string(arg) + "\"");
            throw ConfigError("flag " + std::string(name) + ": unknown flag (see --help)");
        }
        const std::string label = "flag " + std::string(name);
        if (spec->kind == Kind::go_bool) {
            bool on = true;
            if (eq != std::string_view::npos) {
                if (auto problem = detail::parse_bool(arg.substr(eq + 1), on))
                    throw ConfigError(label + ": " + *problem);
            }
            set_go_bool(flags, name, on);
            continue;
        }
        if (spec->kind == Kind::none) {
            if (eq != std::string_view::npos) throw ConfigError(label + ": takes no value");
            set(flags, name, "");
            continue;
        }
        std::string value;
        bool given = false;
        if (eq != std::string_view::npos) {
            value = std::string(arg.substr(eq + 1));
            given = true;
        } else if (i + 1 < argc && !std::string_view(argv[i + 1]).starts_with("--")) {
            value = argv[++i];  // "--config --once" is a forgotten value, not a file named "--once"
            given = true;
        }
        if (value.empty() && !(given && spec->kind == Kind::value_or_empty))
            throw ConfigError(label + ": needs a value (" + std::string(spec->value_name) + ")");
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
    for (const bool go : {false, true}) {
        if (go)
            out +=
                "\nFlags of the Go libvirt exporters, for a drop-in swap (README \"Migrating from the Go "
                "exporters\"):\n";
        for (const auto& s : specs) {
            if (s.go != go) continue;
            std::string left = "  " + std::string(s.name);
            if (!s.value_name.empty()) left += " " + std::string(s.value_name);
            if (left.size() < 30)
                left.resize(30, ' ');
            else
                left += "  ";
            out += left + std::string(s.help) + "\n";
        }
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
    if (flags.web_config_file) assign_flag(config, "web.config_file", "flag --web.config.file", *flags.web_config_file);
    // A word that names no level is not a problem here: validate() reports it.
    if (flags.log_level) assign_flag(config, "log.level", "flag --log.level", *flags.log_level);
    apply_go_exporter_flags(config, flags);
}

void assign_flag(Config& config, std::string_view path, const std::string& flag, std::string_view text)
{
    if (auto problem = assign_scalar(*find_field(path), config, text)) throw ConfigError(flag + ": " + *problem);
    set_origin(config, std::string(path), flag);
}

}  // namespace detail
}  // namespace config
