// What a write endpoint answered, classified: pure functions over the status, the headers we read and
// the (bounded) body. Everything here comes from outside — InfluxDB, a proxy in between, or anything
// that answers on the push URL — so nothing here throws on any input (std::bad_alloc aside), every
// number is read with std::from_chars and bounded, and every message is one printable line.
// The Writer does the I/O and fills an Answer; the Pusher acts on the WriteResult.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace influx {

enum class Outcome {
    ok,             // 2xx: delivered
    rejected,       // 400/422 partial write, or another 4xx that retrying cannot fix: not retried
    auth,           // 401/403: kept and retried (the operator may fix the token)
    not_found,      // 404: unknown database/bucket; kept and retried
    too_large,      // 413: split the batch in halves and send each
    throttled,      // 429/503: wait the longer of Retry-After and the backoff, then retry
    server_error,   // other 5xx, and 1xx/3xx where a write answer belongs: retry with backoff
    network_error,  // no usable HTTP answer at all: retry with backoff
};

// The parts of an HTTP answer the classification reads. The Writer bounds what it stores: `body` at
// max_answer_body bytes, each header value at max_header_value.
struct Answer {
    long status = 0;
    std::string body;
    std::string retry_after;  // the Retry-After header's value, "" when absent
};

inline constexpr std::size_t max_answer_body = std::size_t{64} * 1024;
inline constexpr std::size_t max_header_value = 256;

struct WriteResult {
    Outcome outcome = Outcome::network_error;
    long status = 0;      // HTTP status, 0 without an answer
    std::string message;  // the server's error message or the transport error: one printable line, bounded
    std::optional<std::chrono::seconds> retry_after;
    // For `rejected`: how many lines of the batch the server says it refused (InfluxDB 1.x and 2.x
    // `dropped=N`, 3.x's `data` list) or kept (Cloud's `(N written)`); neither: the whole batch.
    std::optional<unsigned long long> rejected_lines;
    std::optional<unsigned long long> written_lines;
    // For network_error: the request never went out (no connection, TLS handshake or name resolution
    // failed), so the server cannot have written any of it; another URL may take it (influx/failover.hpp).
    bool unsent = false;
};

// No usable answer (a transport error, or one of ours before the request went out): network_error.
WriteResult transport_error(std::string message);

// `now`: the wall clock, for a Retry-After given as an HTTP date.
WriteResult classify(const Answer& answer, std::chrono::system_clock::time_point now);

// Retry-After as delta-seconds ("120") or an HTTP date (IMF-fixdate, RFC 850 or asctime form), relative
// to `now`; nullopt when absent or unreadable. A date in the past is 0; everything is capped at one day.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) noexcept;

// How many of a rejected batch of `batch` lines were refused, from what the server said, bounded by the batch.
std::size_t rejected_count(const WriteResult& result, std::size_t batch) noexcept;

// At most `max` bytes of `text` as one line of printable ASCII (and valid UTF-8 passed through): control
// characters and invalid bytes become '?', so a server cannot put a newline or binary into our log.
std::string printable_line(std::string_view text, std::size_t max = 512);

const char* outcome_name(Outcome outcome) noexcept;
bool retryable(Outcome outcome) noexcept;

}  // namespace influx
