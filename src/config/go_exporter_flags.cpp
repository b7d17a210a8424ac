// The flags of the Go exporters an operator may be replacing — inovex/prometheus-libvirt-exporter v2.5,
// kumina/libvirt_exporter (Debian's prometheus-libvirt-exporter 0.2) and Tinkoff/libvirt-exporter — with
// their meaning, as the settings their YAML keys set (README "Migrating from the Go exporters"). Their
// text goes through assign_scalar(), as a YAML value would; validate() reports values out of range,
// naming the flag by its origin.
#include <string_view>

#include "config/internal.hpp"

namespace config::detail {
namespace {

// The query value of a libvirt URI: RFC 3986 unreserved characters and "/" as they are, the rest
// percent-encoded (libvirt unescapes query values).
std::string escape_query_value(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                           c == '.' || c == '_' || c == '~' || c == '/';
        if (plain) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

}  // namespace

std::optional<std::string_view> refused_go_flag(std::string_view name)
{
    if (name == "--web.systemd-socket")
        return "socket activation is not supported: CivetWeb binds the sockets of web.listen_addresses itself "
               "and cannot serve a socket inherited from systemd; drop the flag (and the .socket unit) and "
               "use --web.listen-address";
    return std::nullopt;
}

std::string libvirt_uri_of(std::string_view uri_or_socket, std::string_view driver)
{
    if (!uri_or_socket.starts_with('/')) return std::string(uri_or_socket);
    // libvirt's "socket" parameter belongs to the unix transport ("driver+unix://..."), which a local URI
    // gets by default only where its driver is not in-process (qemu is not, test is): name it.
    std::string uri(driver);
    const auto scheme_end = uri.find("://");
    if (scheme_end != std::string::npos && uri.substr(0, scheme_end).find('+') == std::string::npos)
        uri.insert(scheme_end, "+unix");
    uri += uri.find('?') == std::string::npos ? '?' : '&';
    return uri + "socket=" + escape_query_value(uri_or_socket);
}

void apply_go_exporter_flags(Config& config, const Flags& flags)
{
    // inovex opens --libvirt.driver through the socket path --libvirt.uri (default its read-only socket);
    // kumina, Tinkoff and we take a URI. A driver alone lets libvirt pick the socket (the read-only one
    // under libvirt.read_only), a socket path alone opens qemu:///system, inovex's default driver.
    const bool socket = flags.libvirt_uri && flags.libvirt_uri->starts_with('/');
    if (flags.libvirt_uri && !flags.libvirt_driver) {
        config.libvirt.uri = libvirt_uri_of(*flags.libvirt_uri, "qemu:///system");
        set_origin(config, "libvirt.uri", "flag --libvirt.uri");
    }
    if (flags.libvirt_driver) {
        if (flags.libvirt_uri && !socket)
            throw ConfigError(
                "flag --libvirt.driver: applies only when --libvirt.uri is a socket path, but "
                "--libvirt.uri is the URI \"" +
                *flags.libvirt_uri + "\"; drop one of them");
        if (flags.libvirt_driver->find("://") == std::string::npos)
            throw ConfigError("flag --libvirt.driver: must be a libvirt URI like \"qemu:///system\", got \"" +
                              *flags.libvirt_driver + "\"");
        config.libvirt.uri = socket ? libvirt_uri_of(*flags.libvirt_uri, *flags.libvirt_driver) : *flags.libvirt_driver;
        set_origin(config, "libvirt.uri",
                   socket ? "flags --libvirt.uri and --libvirt.driver" : "flag --libvirt.driver");
    }
    if (flags.exporter_timeout)
        assign_flag(config, "libvirt.timeout", "flag --exporter.timeout", *flags.exporter_timeout);
    if (flags.max_concurrent_collects)
        assign_flag(config, "libvirt.parallel", "flag --exporter.max-concurrent-collects",
                    *flags.max_concurrent_collects);
    if (flags.telemetry_path)
        assign_flag(config, "web.telemetry_path", "flag --web.telemetry-path", *flags.telemetry_path);
    if (flags.health_path) assign_flag(config, "web.health_path", "flag --web.health-path", *flags.health_path);
    if (flags.log_format) assign_flag(config, "log.format", "flag --log.format", *flags.log_format);
}

}  // namespace config::detail
