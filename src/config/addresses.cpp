// Syntax checks for the two kinds of network address in the configuration: listen addresses
// ("[host]:port") and the InfluxDB URL. Pure; nothing here throws. The URL may carry a password in its
// userinfo, so every message shows it through mask_url().
#include <cctype>
#include <charconv>
#include <span>

#include "config/internal.hpp"
#include "util/url.hpp"

namespace config::detail {
namespace {

bool has_space_or_control(std::string_view s)
{
    for (char c : s)
        if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) return true;
    return false;
}

bool valid_port(std::string_view p)
{
    if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string_view::npos) return false;
    int v = 0;
    std::from_chars(p.data(), p.data() + p.size(), v);  // at most five digits: cannot fail
    return v >= 1 && v <= 65535;
}

// A host name or IPv4 address, or a bracketed IPv6 address (with an optional %zone).
bool valid_host(std::string_view h)
{
    if (h.starts_with('[')) {
        if (h.size() < 3 || !h.ends_with(']')) return false;
        const std::string_view inner = h.substr(1, h.size() - 2);
        const auto zone = inner.find('%');
        return inner.substr(0, zone).find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos &&
               inner.find(':') != std::string_view::npos;
    }
    for (char c : h)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
    return true;
}

}  // namespace

Problem listen_address_problem(const std::string& address)
{
    Problem bad = "must be [host]:port like \":9177\", \"127.0.0.1:9177\" or \"[::1]:9177\", got \"" + address + "\"";
    if (has_space_or_control(address)) return bad;
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) return bad;
    const std::string_view host = std::string_view(address).substr(0, colon);
    const std::string_view port = std::string_view(address).substr(colon + 1);
    if (!valid_host(host)) return bad;
    if (!valid_port(port)) return "port must be 1-65535, got \"" + address + "\"";
    return std::nullopt;
}

std::string mask_url(const std::string& url)
{
    const auto userinfo = util::find_url_userinfo(url);
    if (!userinfo || !userinfo->password) return url;  // a user name alone is no secret
    const std::size_t password_begin = userinfo->at - userinfo->password->size();
    return url.substr(0, password_begin) + "***" + url.substr(userinfo->at);
}

namespace {

// The syntax shared by push.url and push.proxy: one of `schemes` (lower case, "http://"), then a host.
Problem url_syntax_problem(const std::string& url, std::span<const std::string_view> schemes,
                           std::string_view bad_scheme)
{
    const std::string shown = "\"" + mask_url(url) + "\"";
    if (has_space_or_control(url)) return "must not contain spaces, got " + shown;
    std::string lower;
    for (char c : url.substr(0, 10)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::size_t start = 0;
    for (const auto scheme : schemes)
        if (lower.starts_with(scheme)) start = scheme.size();
    if (start == 0) return std::string(bad_scheme) + ", got " + shown;
    const auto end = url.find_first_of("/?#", start);
    std::string_view authority = std::string_view(url).substr(start, end == std::string::npos ? end : end - start);
    if (const auto userinfo = util::find_url_userinfo(url)) authority.remove_prefix(userinfo->at + 1 - start);
    std::string_view host = authority, port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return "has an unterminated [IPv6] host, got " + shown;
        host = authority.substr(0, close + 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) return "has junk after the host, got " + shown;
        if (!after.empty()) port = after.substr(1);
        if (after == ":") return "has an empty port, got " + shown;
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
        if (port.empty()) return "has an empty port, got " + shown;
    }
    if (host.empty()) return "has no host, got " + shown;
    if (!valid_host(host)) return "has an invalid host, got " + shown;
    if (!port.empty() && !valid_port(port)) return "port must be 1-65535, got " + shown;
    return std::nullopt;
}

}  // namespace

Problem url_problem(const std::string& url)
{
    static constexpr std::string_view schemes[] = {"http://", "https://"};
    return url_syntax_problem(url, schemes, "must be an http:// or https:// URL");
}

Problem proxy_url_problem(const std::string& url)
{
    static constexpr std::string_view schemes[] = {"http://",    "https://",  "socks4://",
                                                   "socks4a://", "socks5://", "socks5h://"};
    return url_syntax_problem(url, schemes,
                              "must be an http://, https://, socks4://, socks4a://, socks5:// or socks5h:// URL");
}

}  // namespace config::detail
