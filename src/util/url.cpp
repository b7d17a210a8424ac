#include "util/url.hpp"

namespace util {

std::optional<UrlUserinfo> find_url_userinfo(std::string_view url) noexcept
{
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::nullopt;
    const std::size_t begin = scheme_end + 3;
    const std::string_view authority = url.substr(begin, url.find_first_of("/?#", begin) - begin);
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos) return std::nullopt;
    UrlUserinfo info;
    info.begin = begin;
    info.at = begin + at;
    const std::string_view userinfo = authority.substr(0, at);
    const auto colon = userinfo.find(':');
    info.user = userinfo.substr(0, colon);
    if (colon != std::string_view::npos) info.password = userinfo.substr(colon + 1);
    return info;
}

}  // namespace util
