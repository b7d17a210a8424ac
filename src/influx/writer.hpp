// One POST of a batch of lines to InfluxDB (or anything speaking its write API), classified.
// The writer knows nothing of batching, retries or spooling: the pusher owns those.
//
// Ownership: owns a libcurl easy handle (reused, so the connection stays alive between batches) and its
// header list. Thread-safety: one thread at a time (the pusher's sender).
// Throws: the constructor throws CurlError (with the option's name) or std::runtime_error when libcurl
// cannot be set up as configured; write() never throws except std::bad_alloc.
#pragma once

#include <string_view>

#include "config/config.hpp"
#include "influx/curl_easy.hpp"
#include "influx/write_request.hpp"

namespace influx {

class Writer {
public:
    explicit Writer(const config::PushConfig& push);

    // `lines`: newline-separated line protocol. Compressed with gzip when push.gzip is set.
    WriteResult write(std::string_view lines);

private:
    // Whether a failed transfer ended before any of the request was sent.
    bool never_sent(CURLcode rc) const noexcept;
    void set_body(std::string_view body, Answer& answer);

    config::PushConfig push_;
    WriteRequest request_;
    CurlHeaders headers_;  // before curl_: the handle points at the list until it is gone
    CurlEasy curl_;
};

}  // namespace influx
