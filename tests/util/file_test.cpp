#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "support/temp_dir.hpp"
#include "util/file.hpp"

TEST_CASE("read_file returns a whole file, binary bytes and all")
{
    const test_support::TempDir dir;
    std::string content(100000, 'x');
    content += std::string("\0\r\n\xff", 4);
    const std::string path = dir.write("data", content);
    std::string error = "untouched";
    const auto read = util::read_file(path, &error);
    REQUIRE(read);
    CHECK(*read == content);
    CHECK(error == "untouched");
    CHECK(util::read_file(dir.write("empty", "")) == std::string());
}

TEST_CASE("read_file says why a file cannot be read: missing, or a directory")
{
    const test_support::TempDir dir;
    std::string error;
    CHECK_FALSE(util::read_file(dir.path("missing"), &error));
    CHECK(error == "No such file or directory");
    CHECK_FALSE(util::read_file(dir.path(""), &error));
    CHECK(error == "Is a directory");
    CHECK_FALSE(util::read_file(dir.path("missing")));  // without a place for the reason
}
