// gzip (RFC 1952) with zlib: a streaming encoder for /metrics (compressed while the text is written, at
// level 1) and whole-buffer compression for InfluxDB bodies, plus the inverse for tests and gzip request
// bodies. Pure; an encoder is used by one thread, the functions are thread-safe. Throws
// std::runtime_error when zlib fails (only on memory exhaustion) and std::bad_alloc.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/c_handle.hpp"

struct z_stream_s;  // <zlib.h>'s z_stream, kept out of this header

namespace util {

namespace detail {
void end_deflate(z_stream_s* stream) noexcept;  // deflateEnd, then frees the stream
void end_inflate(z_stream_s* stream) noexcept;  // inflateEnd, then frees the stream
}  // namespace detail

// Compresses text handed over in pieces into one growing string; finish() ends the stream and hands the
// string over. Owns its zlib stream; move-only.
class GzipEncoder {
public:
    // `level`: zlib's 0 (store) to 9 (smallest); `expected_input`: when known, the output is sized for
    // that much input at once, so it is never copied while it grows.
    explicit GzipEncoder(int level, std::size_t expected_input = 0);

    void write(std::string_view text);
    // The whole gzip member. Call once; the encoder is spent afterwards.
    std::string finish();

private:
    void deflate_into_output(std::string_view text, int flush);

    CHandle<z_stream_s, detail::end_deflate> stream_;
    std::string out_;
};

std::string gzip_compress(std::string_view data, int level = 6);
// Throws std::runtime_error on corrupt or truncated input, or when the output would exceed max_output
// bytes (a gzip bomb).
std::string gzip_decompress(std::string_view data, std::size_t max_output = 256u << 20);

}  // namespace util
