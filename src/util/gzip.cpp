#include "util/gzip.hpp"

#include <algorithm>
#include <stdexcept>

#include <zlib.h>

namespace util {
namespace {

constexpr int gzip_window_bits = 15 + 16;  // a 32 KiB window; +16: gzip header and trailer instead of zlib's

// Output grows by at least this much, so small pieces of input do not each cost a reallocation.
constexpr std::size_t min_output_growth = std::size_t{64} * 1024;

Bytef* bytes_of(const char* p)
{
    // zlib's next_in is not const, but deflate and inflate only read through it.
    return reinterpret_cast<Bytef*>(const_cast<char*>(p));
}

}  // namespace

namespace detail {

void end_deflate(z_stream_s* stream) noexcept
{
    deflateEnd(stream);
    delete stream;
}

void end_inflate(z_stream_s* stream) noexcept
{
    inflateEnd(stream);
    delete stream;
}

}  // namespace detail

GzipEncoder::GzipEncoder(int level, std::size_t expected_input)
{
    auto stream = std::make_unique<z_stream>();
    if (deflateInit2(stream.get(), level, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("gzip: deflateInit2 failed");
    stream_.reset(stream.release());
    if (expected_input > 0) out_.resize(deflateBound(stream_.get(), static_cast<uLong>(expected_input)) + 32);
}

void GzipEncoder::write(std::string_view text)
{
    deflate_into_output(text, Z_NO_FLUSH);
}

std::string GzipEncoder::finish()
{
    deflate_into_output({}, Z_FINISH);
    out_.resize(stream_->total_out);
    return std::move(out_);
}

void GzipEncoder::deflate_into_output(std::string_view text, int flush)
{
    z_stream& z = *stream_;
    z.next_in = bytes_of(text.data());
    z.avail_in = static_cast<uInt>(text.size());
    int rc = Z_OK;
    do {
        if (out_.size() == z.total_out) out_.resize(std::max<std::size_t>(2 * out_.size(), min_output_growth));
        z.next_out = reinterpret_cast<Bytef*>(out_.data() + z.total_out);
        z.avail_out = static_cast<uInt>(out_.size() - z.total_out);
        rc = deflate(&z, flush);
        if (rc == Z_STREAM_ERROR) throw std::runtime_error("gzip: deflate failed");
    } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
}

std::string gzip_compress(std::string_view data, int level)
{
    GzipEncoder encoder(level, data.size());
    encoder.write(data);
    return encoder.finish();
}

std::string gzip_decompress(std::string_view data, std::size_t max_output)
{
    auto owned = std::make_unique<z_stream>();
    if (inflateInit2(owned.get(), gzip_window_bits) != Z_OK) throw std::runtime_error("gzip: inflateInit2 failed");
    const CHandle<z_stream_s, detail::end_inflate> stream(owned.release());
    z_stream& z = *stream;
    std::string out;
    char buf[16384];
    z.next_in = bytes_of(data.data());
    z.avail_in = static_cast<uInt>(data.size());
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) throw std::runtime_error("gzip: corrupt input");
        out.append(buf, sizeof buf - z.avail_out);
        if (out.size() > max_output) throw std::runtime_error("gzip: output exceeds limit");
        if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) throw std::runtime_error("gzip: truncated input");
    }
    return out;
}

}  // namespace util
