#include <doctest/doctest.h>

#include "util/gzip.hpp"

#include <stdexcept>
#include <string>

TEST_CASE("gzip output decompresses to the input and starts with the gzip magic")
{
    std::string input;
    for (int i = 0; i < 1000; ++i) input += "libvirt_domain_info_cpu_time_seconds_total{domain=\"vm\"} 1\n";
    const auto packed = util::gzip_compress(input);
    REQUIRE(packed.size() > 2);
    CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
    CHECK(packed.size() < input.size() / 10);
    CHECK(util::gzip_decompress(packed) == input);
    CHECK(util::gzip_decompress(util::gzip_compress("")).empty());
}

TEST_CASE("corrupt, truncated or oversized gzip input is refused")
{
    const auto packed = util::gzip_compress(std::string(100000, 'x'));
    CHECK_THROWS_AS(util::gzip_decompress(packed.substr(0, packed.size() / 2)), std::runtime_error);
    CHECK_THROWS_AS(util::gzip_decompress("not gzip at all"), std::runtime_error);
    CHECK_THROWS_AS(util::gzip_decompress(packed, 1000), std::runtime_error);
}

TEST_CASE("text given to the encoder in pieces comes out as one gzip member of the whole text")
{
    std::string whole;
    util::GzipEncoder encoder(1);
    for (int i = 0; i < 20000; ++i) {
        const std::string piece = "libvirt_domain_block_stats_read_bytes_total{domain=\"vm-" + std::to_string(i) +
                                  "\"} " + std::to_string(i * 4096) + "\n";
        encoder.write(piece);
        whole += piece;
    }
    encoder.write("");
    const std::string packed = encoder.finish();
    CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);
    CHECK(packed.size() < whole.size() / 5);
    CHECK(util::gzip_decompress(packed) == whole);
}

TEST_CASE("an encoder given nothing still writes a valid gzip member, sized for its expected input or not")
{
    CHECK(util::gzip_decompress(util::GzipEncoder(1).finish()).empty());
    CHECK(util::gzip_decompress(util::GzipEncoder(6, 1 << 20).finish()).empty());
    util::GzipEncoder sized(9, 10);
    sized.write(std::string(1 << 20, 'y'));  // far more than it expected: the output grows
    CHECK(util::gzip_decompress(sized.finish()) == std::string(1 << 20, 'y'));
}
