#include <doctest/doctest.h>

#include <string>

#include "util/url.hpp"

TEST_CASE("the userinfo of a URL is split into user and password at its first colon")
{
    const std::string url = "http://me:pa:ss@influx:8086/write";
    const auto info = util::find_url_userinfo(url);
    REQUIRE(info);
    CHECK(info->user == "me");
    REQUIRE(info->password);
    CHECK(*info->password == "pa:ss");
    CHECK(url.substr(info->begin, info->at - info->begin) == "me:pa:ss");
    CHECK(url[info->at] == '@');
}

TEST_CASE("a user name alone has no password, and an empty password is still one")
{
    const auto user_only = util::find_url_userinfo("https://me@influx");
    REQUIRE(user_only);
    CHECK(user_only->user == "me");
    CHECK_FALSE(user_only->password);
    const auto empty = util::find_url_userinfo("https://me:@influx");
    REQUIRE(empty);
    REQUIRE(empty->password);
    CHECK(empty->password->empty());
}

TEST_CASE("a password may hold an @: the userinfo ends at the authority's last one")
{
    const auto info = util::find_url_userinfo("http://me:p@ss@influx:8086");
    REQUIRE(info);
    CHECK(*info->password == "p@ss");
    CHECK(info->at == std::string("http://me:p@ss").size());
}

TEST_CASE("an @ after the authority's end is no userinfo, nor is a URL without one")
{
    CHECK_FALSE(util::find_url_userinfo("http://influx:8086/path@x"));
    CHECK_FALSE(util::find_url_userinfo("http://influx:8086?q=a@b"));
    CHECK_FALSE(util::find_url_userinfo("http://influx:8086#a@b"));
    CHECK_FALSE(util::find_url_userinfo("http://influx:8086"));
    CHECK_FALSE(util::find_url_userinfo("me:secret@influx"));
    CHECK_FALSE(util::find_url_userinfo(""));
}
