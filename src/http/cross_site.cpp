#include "http/cross_site.hpp"

#include <charconv>

#include "util/text.hpp"

namespace http {
namespace {

// HTTP's optional white space around list items and parameters.
std::string_view trim(std::string_view s) noexcept
{
    return util::trim(s, " \t");
}

// host[:port] without the scheme's default port, so "example.com" and "example.com:80" compare equal
// (browsers leave the default port out of Origin; some clients write it into Host).
std::string_view without_default_port(std::string_view authority, bool https) noexcept
{
    const std::string_view port = https ? ":443" : ":80";
    if (authority.size() > port.size() && authority.ends_with(port)) authority.remove_suffix(port.size());
    return authority;
}

// Only what an Origin may hold after the scheme: a host and a port. Anything else (a path, userinfo, a
// space) is a malformed Origin, which must not match by accident of a Host header that holds the same.
bool plain_authority(std::string_view s) noexcept
{
    if (s.empty()) return false;
    for (char c : s)
        if (c == '/' || c == '?' || c == '#' || c == '@' || c == '\\' || static_cast<unsigned char>(c) <= ' ' ||
            static_cast<unsigned char>(c) >= 0x7f)
            return false;
    return true;
}

bool same_origin(std::string_view origin, std::string_view host, bool tls) noexcept
{
    const std::string_view scheme = tls ? "https://" : "http://";
    origin = trim(origin);
    host = trim(host);
    if (origin.size() <= scheme.size() || !util::iequals(origin.substr(0, scheme.size()), scheme)) return false;
    const std::string_view authority = origin.substr(scheme.size());
    if (!plain_authority(authority) || !plain_authority(host)) return false;
    return util::iequals(without_default_port(authority, tls), without_default_port(host, tls));
}

}  // namespace

std::string_view cross_site_refusal(const RequestSite& site) noexcept
{
    if (site.origin) {
        if (!site.host) return "Origin given, but no Host to compare it with";
        if (!same_origin(*site.origin, *site.host, site.tls)) return "Origin is not this server's origin";
    }
    if (site.sec_fetch_site) {
        const std::string_view v = trim(*site.sec_fetch_site);
        if (v != "same-origin" && v != "none") return "Sec-Fetch-Site is neither same-origin nor none";
    }
    return {};
}

bool accepts_html(std::string_view header) noexcept
{
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        const auto semi = item.find(';');
        std::string_view params = semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1);
        if (!util::iequals(trim(item.substr(0, semi)), "text/html")) continue;
        // Parameters: "level=1; q=0.5"; only q matters. q=0 and an unreadable q refuse, as in accepts_gzip.
        bool accepted = true;
        while (!params.empty()) {
            const auto next = params.find(';');
            const std::string_view param = trim(params.substr(0, next));
            params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
            if (param.size() < 2 || util::ascii_lower(param[0]) != 'q' || param[1] != '=') continue;
            const std::string_view q = param.substr(2);
            double v = 0;
            const auto [ptr, ec] = std::from_chars(q.data(), q.data() + q.size(), v);
            accepted = ec == std::errc() && ptr == q.data() + q.size() && v > 0.0;
        }
        if (accepted) return true;
    }
    return false;
}

}  // namespace http
