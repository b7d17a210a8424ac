// Pure pieces of one InfluxDB write: the request (URL, headers) for the configured API (the answer's
// classification: write_answer.hpp). The Writer does the I/O; the pusher acts on the outcome.
// No secrets in anything meant for logs: describe() and error messages never contain credentials.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "influx/write_answer.hpp"

namespace influx {

struct WriteRequest {
    std::string url;                   // full URL with query string
    std::vector<std::string> headers;  // "Name: value" (may carry credentials: never log them)
    std::string basic_user;            // v1 basic auth, when no token is configured
    std::string basic_password;
};

// Builds the request for push.api (v1 /write, v2 /api/v2/write, v3 /api/v3/write_lp), with the
// precision spelled as that API expects and query values percent-encoded.
WriteRequest build_request(const config::PushConfig& push, bool gzip_body);

// The endpoint without query secrets or credentials, for log lines ("POST http://host:8086/write (v1)",
// "... via proxy http://proxy:3128" when push.proxy is set, its user and password left out too).
std::string describe(const config::PushConfig& push);

std::string percent_encode(std::string_view text);
// `url` with the password of its user info replaced by "***" (a user name alone is kept): how a push URL
// is shown in /api/status and the url label.
std::string masked_url(const std::string& url);

// `text` (a server's error message) with every occurrence of the push credentials — token, password, the
// password in the URL's and in the proxy URL's user info — replaced by "***": a server or proxy that echoes what it was
// sent must not put a secret into a log line, /api/status or the landing page.
std::string redact_credentials(std::string text, const config::PushConfig& push);

}  // namespace influx
