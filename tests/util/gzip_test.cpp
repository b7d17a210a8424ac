#include <doctest/doctest.h>

#include "util/gzip.hpp"

#include <stdexcept>

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
