// gzip (RFC 1952) compression of a whole buffer with zlib, for /metrics responses and InfluxDB bodies.
// Pure; thread-safe. Throws std::runtime_error if zlib fails (only on memory exhaustion).
#pragma once

#include <string>
#include <string_view>

namespace util {

std::string gzip_compress(std::string_view data, int level = 6);
// Inverse, for tests and for reading gzip request bodies; throws std::runtime_error on corrupt input
// or when the output would exceed max_output bytes (a gzip bomb).
std::string gzip_decompress(std::string_view data, std::size_t max_output = 256u << 20);

}  // namespace util
