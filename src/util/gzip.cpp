#include "util/gzip.hpp"

#include <memory>
#include <stdexcept>

#include <zlib.h>

namespace util {
namespace {

constexpr int gzip_window_bits = 15 + 16;  // +16: gzip header and trailer instead of zlib's

struct DeflateStream {
    z_stream s{};
    explicit DeflateStream(int level)
    {
        if (deflateInit2(&s, level, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            throw std::runtime_error("gzip: deflateInit2 failed");
    }
    ~DeflateStream() { deflateEnd(&s); }
    DeflateStream(const DeflateStream&) = delete;
    DeflateStream& operator=(const DeflateStream&) = delete;
};

struct InflateStream {
    z_stream s{};
    InflateStream()
    {
        if (inflateInit2(&s, gzip_window_bits) != Z_OK) throw std::runtime_error("gzip: inflateInit2 failed");
    }
    ~InflateStream() { inflateEnd(&s); }
    InflateStream(const InflateStream&) = delete;
    InflateStream& operator=(const InflateStream&) = delete;
};

}  // namespace

std::string gzip_compress(std::string_view data, int level)
{
    DeflateStream z(level);
    std::string out;
    out.resize(deflateBound(&z.s, static_cast<uLong>(data.size())) + 32);
    z.s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.s.avail_in = static_cast<uInt>(data.size());
    z.s.next_out = reinterpret_cast<Bytef*>(out.data());
    z.s.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z.s, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
    out.resize(z.s.total_out);
    return out;
}

std::string gzip_decompress(std::string_view data, std::size_t max_output)
{
    InflateStream z;
    std::string out;
    char buf[16384];
    z.s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.s.avail_in = static_cast<uInt>(data.size());
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.s.next_out = reinterpret_cast<Bytef*>(buf);
        z.s.avail_out = sizeof buf;
        rc = inflate(&z.s, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) throw std::runtime_error("gzip: corrupt input");
        out.append(buf, sizeof buf - z.s.avail_out);
        if (out.size() > max_output) throw std::runtime_error("gzip: output exceeds limit");
        if (rc == Z_OK && z.s.avail_in == 0 && z.s.avail_out != 0) throw std::runtime_error("gzip: truncated input");
    }
    return out;
}

}  // namespace util
