// The userinfo of a URL ("user:password@" in http://user:password@host:8086/), found one way for every
// caller: the configuration masks the password in messages and output, the push describes its endpoint
// without it and redacts it from server answers. Pure; nothing here throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace util {

// Where the userinfo stands in a URL; the views point into the URL passed in.
struct UrlUserinfo {
    std::size_t begin = 0;  // offset of its first character, just after "://"
    std::size_t at = 0;     // offset of the '@' that ends it
    std::string_view user;
    std::optional<std::string_view> password;  // after its first ':'; nullopt when it has no ':'
};

// As RFC 3986 reads a URL: the authority runs from "://" to the first '/', '?' or '#' (or the end), and
// its userinfo is what stands before the authority's last '@' (a host holds no '@'; a password may).
// Nullopt for a URL without "://" or without an '@' in its authority.
std::optional<UrlUserinfo> find_url_userinfo(std::string_view url) noexcept;

}  // namespace util
