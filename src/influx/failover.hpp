// Several write URLs (push.urls) in order of preference: a batch goes to the current URL; when that one
// certainly did not take it — the request never went out (no connection, no TLS handshake, name not
// resolved) or it answered 5xx — the same batch goes at once to the next URL in order. An answer that may
// mean the batch was written (a timeout or broken connection after the request was sent) is returned to
// the pusher, which retries it on the same URL: a repeated point is idempotent on one InfluxDB, not across
// two (only if that URL then refuses connections does the retry go on to the next). While a later URL is
// current, the first is tried again (with a real batch, falling over again if it still fails) every
// `probe_every`; once it answers, it is current again.
//
// Ownership: owns its targets (each a write function, in the daemon a Writer with its own libcurl handle).
// Thread-safety: write() from one thread at a time (the pusher's sender); stats() from any thread.
// Throws: for_config() throws CurlError/std::runtime_error when a Writer cannot be set up; write() and
// stats() throw only std::bad_alloc.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "influx/write_answer.hpp"
#include "util/clock.hpp"

namespace influx {

// One URL's state, for /api/status and the metrics (url label).
struct UrlStats {
    std::string url;             // as shown: the password in its user info masked as "***"
    bool current = false;        // writes go here now
    bool up = true;              // its last write attempt got an answer that was not a 5xx
    std::uint64_t writes = 0;    // write requests it accepted (2xx)
    std::uint64_t failures = 0;  // write requests that failed (network error or 5xx)
    std::string last_error;      // of its last failure, "" until then (credentials redacted)
};

class FailoverWriter {
public:
    using WriteFn = std::function<WriteResult(std::string_view)>;
    struct Target {
        std::string url;  // as shown (masked)
        WriteFn write;
    };

    // `targets` non-empty, in order of preference. The clock is borrowed.
    FailoverWriter(std::vector<Target> targets, std::chrono::milliseconds probe_every,
                   const util::Clock& clock = util::SystemClock::instance());

    // A Writer per push.endpoints() entry; probes the first every push.retry_backoff_max.
    static std::unique_ptr<FailoverWriter> for_config(const config::PushConfig& push);
    // For the start-up log: each endpoint as describe() shows it, in failover order (no credentials).
    static std::string describe(const config::PushConfig& push);

    // `lines` to the current URL, failing over as described above; the result of the last URL tried.
    WriteResult write(std::string_view lines);
    std::vector<UrlStats> stats() const;

private:
    // Whether another URL may take the batch: this one did not.
    static bool fails_over(const WriteResult& r) noexcept;
    WriteResult attempt(std::size_t i, std::string_view lines);

    std::vector<Target> targets_;
    std::chrono::milliseconds probe_every_;
    const util::Clock& clock_;
    std::size_t current_ = 0;  // sender thread only
    std::chrono::steady_clock::time_point next_probe_{};

    mutable std::mutex mu_;  // guards stats_
    std::vector<UrlStats> stats_;
};

}  // namespace influx
