// Fuzz target: the pure parsing on the HTTP request path and around it. Basic auth is not implemented
// yet (no Authorization header parser exists in src/http), so this covers what a client or an operator
// controls today:
//   - http::accepts_gzip: the Accept-Encoding header of a /metrics scrape;
//   - http::is_loopback: the remote address that decides who may POST /api/push/start|stop;
//   - http::html_escape: names and labels written into the landing page;
//   - config::detail::listen_address_problem, url_problem, mask_url (src/config/addresses.cpp): the
//     --web.listen-address value and the InfluxDB URL, whose password must never be shown.
//
// Input: one header value / address / URL, any bytes.
//
// Checks: no crash or sanitizer report (the first two are noexcept); html_escape leaves no raw `<`, `>`,
// `"` or `'` and unescapes back to its input; mask_url is idempotent, leaves a URL without a password
// unchanged, and removes the password from a URL that has one (url_problem shows URLs through it).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "config/internal.hpp"
#include "http/handlers.hpp"
#include "http/response.hpp"

namespace {

void fail(const char* what, std::string_view input)
{
    std::fprintf(stderr, "fuzz_http_request: %s\n  input: %.*s\n", what, static_cast<int>(input.size()), input.data());
    std::abort();
}

std::string html_unescape(std::string_view text)
{
    static constexpr std::pair<std::string_view, char> entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        bool matched = false;
        for (const auto& [entity, c] : entities) {
            if (text.substr(i).starts_with(entity)) {
                out += c;
                i += entity.size();
                matched = true;
                break;
            }
        }
        if (!matched) out += text[i++];
    }
    return out;
}

// The password of a URL's userinfo ("scheme://user:PASSWORD@host/...", possibly empty), as mask_url finds
// it; nullopt when the URL has none.
std::optional<std::string_view> password_of(std::string_view url)
{
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return std::nullopt;
    const auto start = scheme + 3;
    const auto end = url.find_first_of("/?#", start);
    const auto at = url.rfind('@', end == std::string_view::npos ? url.size() : end);
    if (at == std::string_view::npos || at < start) return std::nullopt;
    const auto colon = url.find(':', start);
    if (colon == std::string_view::npos || colon > at) return std::nullopt;
    return url.substr(colon + 1, at - colon - 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string input(reinterpret_cast<const char*>(data), size);

    (void)http::accepts_gzip(input);
    (void)http::is_loopback(input);

    const std::string escaped = http::html_escape(input);
    if (escaped.find_first_of("<>\"'") != std::string::npos) fail("html_escape left a raw <, >, \" or '", input);
    if (html_unescape(escaped) != input) fail("html_escape does not unescape back to its input", input);

    (void)config::detail::listen_address_problem(input);
    const std::string masked = config::detail::mask_url(input);
    if (config::detail::mask_url(masked) != masked) fail("mask_url is not idempotent", input);
    const std::optional<std::string_view> has_password = password_of(input);
    if (!has_password && masked != input) fail("mask_url changed a URL without a password", input);
    const std::string_view password = has_password.value_or("");
    // The password must be gone. Checked when that is decidable: it occurs once in the input and has no
    // '*' or '@' (else it could be read across the "***@" that replaces it).
    const bool checkable = !password.empty() && password.find_first_of("*@") == std::string_view::npos &&
                           input.find(password) == input.rfind(password);
    if (checkable && masked.find(password) != std::string::npos) fail("mask_url shows the password", input);
    (void)config::detail::url_problem(input);
    return 0;
}
