// One POST of a batch of lines to InfluxDB (or anything speaking its write API), classified.
// The writer knows nothing of batching, retries or spooling: the pusher owns those.
//
// Ownership: owns a libcurl easy handle (reused, so the connection stays alive between batches).
// Thread-safety: one thread at a time (the pusher's). Throws: the constructor throws
// std::runtime_error if libcurl cannot be initialised; write() never throws except std::bad_alloc.
#pragma once

#include <memory>
#include <string_view>

#include "config/config.hpp"
#include "influx/write_request.hpp"

namespace influx {

class Writer {
public:
    explicit Writer(const config::PushConfig& push);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // `lines`: newline-separated line protocol. Compressed with gzip when push.gzip is set.
    WriteResult write(std::string_view lines);
    // Bytes sent on the wire by the last write() (after compression), for metrics and benchmarks.
    std::size_t last_body_bytes() const noexcept { return last_body_bytes_; }

private:
    struct Curl;
    std::unique_ptr<Curl> curl_;
    config::PushConfig push_;
    WriteRequest request_;
    std::size_t last_body_bytes_ = 0;
};

}  // namespace influx
