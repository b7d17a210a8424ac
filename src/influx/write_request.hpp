// Pure pieces of one InfluxDB write: the request (URL, headers) for the configured API, and the
// classification of the server's answer. The Writer does the I/O; the pusher acts on the outcome.
// No secrets in anything meant for logs: describe() and error messages never contain credentials.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

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

// The endpoint without query secrets or credentials, for log lines ("POST http://host:8086/write?db=vms").
std::string describe(const config::PushConfig& push);

std::string percent_encode(std::string_view text);

enum class Outcome {
    ok,             // 2xx: delivered
    rejected,       // 400/422 partial write, or another 4xx that retrying cannot fix: not retried
    auth,           // 401/403: kept and retried (the operator may fix the token)
    not_found,      // 404: unknown database/bucket; kept and retried
    too_large,      // 413: split the batch in halves and send each
    throttled,      // 429/503: wait for Retry-After, then retry
    server_error,   // other 5xx: retry with backoff
    network_error,  // no HTTP answer at all: retry with backoff
};

struct WriteResult {
    Outcome outcome = Outcome::network_error;
    long status = 0;      // HTTP status, 0 without an answer
    std::string message;  // the server's error message or the transport error, one line, bounded
    std::optional<std::chrono::seconds> retry_after;
};

// Classifies one HTTP answer. `body` is the response body (InfluxDB puts {"error": "..."} there);
// `retry_after` the Retry-After header value ("" when absent; seconds or an HTTP date).
WriteResult classify(long status, std::string_view body, std::string_view retry_after);

// `text` (a server's error message) with every occurrence of the push credentials — token, password, the
// password in the URL's user info — replaced by "***": a server or proxy that echoes what it was sent
// must not put a secret into a log line, /api/status or the landing page.
std::string redact_credentials(std::string text, const config::PushConfig& push);

const char* outcome_name(Outcome outcome) noexcept;
bool retryable(Outcome outcome) noexcept;

}  // namespace influx
