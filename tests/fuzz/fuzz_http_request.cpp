// Fuzz target: the pure parsing on the HTTP request path and around it, what a client or an operator
// controls:
//   - http::parse_basic_authorization and http::BasicAuth::check: the Authorization header (a parsed
//     header re-encodes to one that parses the same; a wrong password is never granted);
//   - config::is_bcrypt_hash: a basic_auth_users value;
//   - http::accepts_gzip: the Accept-Encoding header of a /metrics scrape;
//   - http::is_loopback: the remote address that decides who may POST /api/push/start|stop;
//   - http::cross_site_refusal and http::accepts_html: the Origin, Sec-Fetch-Site, Host and Accept headers
//     of those POSTs (an Origin that is our scheme and the Host is accepted; one echoed as the Host is not);
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
#include "config/web_security.hpp"
#include "http/basic_auth.hpp"
#include "http/cross_site.hpp"
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

std::string base64(std::string_view in)
{
    static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
        out += digits[(v >> 18) & 63];
        out += digits[(v >> 12) & 63];
        out += i + 1 < in.size() ? digits[(v >> 6) & 63] : '=';
        out += i + 2 < in.size() ? digits[v & 63] : '=';
    }
    return out;
}

void check_authorization(const std::string& input)
{
    // Cost 4 (password "s3cret"): cheap enough to run bcrypt for every parsed input.
    static const http::BasicAuth auth({{"prometheus", "$2b$04$cji7CsdShh./lv6iEObW/uXUtIJQqq7Qd.484wEA3LFpwqy0CiP6W"}});
    const auto credentials = http::parse_basic_authorization(input);
    if (!credentials) {
        if (auth.check(input) == http::AuthResult::granted) fail("granted a header that does not parse", input);
        return;
    }
    if (credentials->user.find(':') != std::string::npos) fail("a user name with ':'", input);
    if (credentials->password.find('\0') != std::string::npos) fail("a password with a NUL byte", input);
    const auto again =
        http::parse_basic_authorization("Basic " + base64(credentials->user + ":" + credentials->password));
    if (!again || again->user != credentials->user || again->password != credentials->password)
        fail("parsed credentials do not survive re-encoding", input);
    const bool right = credentials->user == "prometheus" && credentials->password == "s3cret";
    if (!right && auth.check(input) == http::AuthResult::granted) fail("granted wrong credentials", input);
}

// The bytes an Origin's host[:port] may hold (cross_site.cpp): printable ASCII but '/', '?', '#', '@', '\\'.
bool plain_authority(std::string_view s)
{
    if (s.empty()) return false;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= ' ' || u >= 0x7f || std::string_view("/?#@\\").find(c) != std::string_view::npos) return false;
    }
    return true;
}

void check_cross_site(const std::string& input)
{
    (void)http::accepts_html(input);
    for (bool tls : {false, true}) {
        (void)http::cross_site_refusal(http::RequestSite{input, input, input, tls});
        if (http::cross_site_refusal(http::RequestSite{input, std::nullopt, input, tls}).empty())
            fail("an Origin equal to the Host header (no scheme) was accepted", input);
        // Header values come trimmed of spaces and tabs around them; an untrimmed one is not our origin's text.
        if (!input.empty() &&
            (input.front() == ' ' || input.front() == '\t' || input.back() == ' ' || input.back() == '\t'))
            continue;
        const std::string origin = (tls ? "https://" : "http://") + input;
        const bool same = http::cross_site_refusal(http::RequestSite{origin, std::nullopt, input, tls}).empty();
        if (same != plain_authority(input)) fail("our own origin refused, or a malformed one accepted", input);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string input(reinterpret_cast<const char*>(data), size);

    check_authorization(input);
    (void)config::is_bcrypt_hash(input);
    (void)http::accepts_gzip(input);
    (void)http::is_loopback(input);
    check_cross_site(input);

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
