// The rules a POST to a control endpoint (/api/push/start|stop and the seed aliases
// /api/telemetry/start|stop) passes besides authentication: it must not come from another site (so a page
// elsewhere in the operator's browser cannot stop the push), and a browser's form submission is answered
// with a redirect to the landing page instead of JSON.
//
// Pure functions of header values (no CivetWeb), so they are unit-tested and fuzzable alone.
// Thread-safety: none needed (no state). Throws: nothing.
#pragma once

#include <optional>
#include <string_view>

namespace http {

// The headers that decide whether a request is cross-site; nullopt: the header is absent.
struct RequestSite {
    std::optional<std::string_view> origin;          // Origin
    std::optional<std::string_view> sec_fetch_site;  // Sec-Fetch-Site
    std::optional<std::string_view> host;            // Host
    bool tls = false;                                // the connection is TLS (the origin's scheme is https)
};

// Why the request is refused as cross-site, or an empty view when it may go on. Browsers send Origin on
// every POST and Sec-Fetch-Site on every request (Chromium, Firefox, Safari); clients that are not
// browsers (curl, scripts) send neither and are not affected. The rules:
// - Origin, when present, must equal the request's own origin: scheme (https on TLS, else http) "://" Host,
//   ASCII case-insensitive, a default port (:80 for http, :443 for https) written or not on either side.
//   "null" (an opaque origin: a sandboxed frame, a data: URL, a file) and an unreadable Origin never match;
//   a request without Host cannot be matched either.
// - Sec-Fetch-Site, when present, must be "same-origin" or "none" (the user typed the URL or used a
//   bookmark); "same-site" (another port or subdomain) and "cross-site" are refused.
// The returned text is a constant, fit for a log line and the 403 body (never echoes the headers).
std::string_view cross_site_refusal(const RequestSite& site) noexcept;

// True when an Accept header value lists text/html with q > 0: a browser navigating, as it does when it
// submits a form (Chromium, Firefox and Safari send "text/html,..."), which is then redirected back to the
// page. `*/*` alone (curl, Python's urllib, fetch()) and a form content type alone (`curl -d ''`) do not
// count: those clients keep getting JSON.
bool accepts_html(std::string_view accept) noexcept;

}  // namespace http
