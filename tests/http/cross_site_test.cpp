// The cross-site rule of the control endpoints and the form-or-API choice of their answer, as pure
// functions of header values (server_test.cpp checks them through CivetWeb).
#include <doctest/doctest.h>

#include "http/cross_site.hpp"

namespace {

using http::RequestSite;

std::string_view refusal(std::optional<std::string_view> origin, std::optional<std::string_view> fetch_site,
                         std::optional<std::string_view> host = "127.0.0.1:9177", bool tls = false)
{
    return http::cross_site_refusal(RequestSite{origin, fetch_site, host, tls});
}

}  // namespace

TEST_CASE("a request without Origin or Sec-Fetch-Site, as curl and scripts send it, is not cross-site")
{
    CHECK(refusal(std::nullopt, std::nullopt).empty());
    CHECK(refusal(std::nullopt, std::nullopt, std::nullopt).empty());
}

TEST_CASE("an Origin equal to the request's own scheme and Host is accepted, in any letter case")
{
    CHECK(refusal("http://127.0.0.1:9177", std::nullopt).empty());
    CHECK(refusal("HTTP://Exporter.Example:9177", std::nullopt, "exporter.example:9177").empty());
    CHECK(refusal("https://kvm1.example:9177", std::nullopt, "kvm1.example:9177", true).empty());
    CHECK(refusal("http://[::1]:9177", std::nullopt, "[::1]:9177").empty());
}

TEST_CASE("a default port matches whether Origin or Host writes it or not")
{
    CHECK(refusal("http://kvm1.example", std::nullopt, "kvm1.example:80").empty());
    CHECK(refusal("http://kvm1.example:80", std::nullopt, "kvm1.example").empty());
    CHECK(refusal("https://kvm1.example", std::nullopt, "kvm1.example:443", true).empty());
    CHECK_FALSE(refusal("http://kvm1.example", std::nullopt, "kvm1.example:443").empty());
    CHECK_FALSE(refusal("https://kvm1.example", std::nullopt, "kvm1.example:80", true).empty());
}

TEST_CASE("an Origin of another host, port or scheme is refused")
{
    CHECK_FALSE(refusal("http://evil.example", std::nullopt).empty());
    CHECK_FALSE(refusal("http://127.0.0.1:9178", std::nullopt).empty());
    CHECK_FALSE(refusal("http://localhost:9177", std::nullopt).empty());
    CHECK_FALSE(refusal("https://127.0.0.1:9177", std::nullopt).empty());  // plain HTTP here
    CHECK_FALSE(refusal("http://kvm1.example:9177", std::nullopt, "kvm1.example:9177", true).empty());  // TLS
    CHECK_FALSE(refusal("http://127.0.0.1:91770", std::nullopt).empty());
    CHECK_FALSE(refusal("http://127.0.0.1:917", std::nullopt).empty());
}

TEST_CASE("an opaque, empty or malformed Origin is refused, also when Host holds the same text")
{
    CHECK_FALSE(refusal("null", std::nullopt).empty());
    CHECK_FALSE(refusal("", std::nullopt).empty());
    CHECK_FALSE(refusal("http://", std::nullopt, "").empty());
    CHECK_FALSE(refusal("127.0.0.1:9177", std::nullopt).empty());
    CHECK_FALSE(refusal("http://127.0.0.1:9177/", std::nullopt, "127.0.0.1:9177/").empty());
    CHECK_FALSE(refusal("http://u@127.0.0.1:9177", std::nullopt, "u@127.0.0.1:9177").empty());
    CHECK_FALSE(refusal("http://a b", std::nullopt, "a b").empty());
    CHECK_FALSE(refusal("file://", std::nullopt).empty());
}

TEST_CASE("an Origin without a Host to compare it with is refused")
{
    CHECK_FALSE(refusal("http://127.0.0.1:9177", std::nullopt, std::nullopt).empty());
}

TEST_CASE("Sec-Fetch-Site may be same-origin or none, and nothing else")
{
    CHECK(refusal(std::nullopt, "same-origin").empty());
    CHECK(refusal(std::nullopt, "none").empty());
    CHECK(refusal("http://127.0.0.1:9177", " same-origin ").empty());
    CHECK_FALSE(refusal(std::nullopt, "cross-site").empty());
    CHECK_FALSE(refusal(std::nullopt, "same-site").empty());  // another port or subdomain of the same site
    CHECK_FALSE(refusal(std::nullopt, "").empty());
    CHECK_FALSE(refusal(std::nullopt, "Same-Origin").empty());
    // Both headers are checked: a matching Origin does not excuse a cross-site fetch, nor the other way round.
    CHECK_FALSE(refusal("http://127.0.0.1:9177", "cross-site").empty());
    CHECK_FALSE(refusal("http://evil.example", "same-origin").empty());
}

TEST_CASE("a browser's navigation Accept header asks for HTML, curl's and fetch's do not")
{
    CHECK(http::accepts_html("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"));
    CHECK(http::accepts_html("TEXT/HTML"));
    CHECK(http::accepts_html("application/json, text/html;level=1;q=0.5"));
    CHECK_FALSE(http::accepts_html("*/*"));
    CHECK_FALSE(http::accepts_html("application/json"));
    CHECK_FALSE(http::accepts_html("text/*"));
    CHECK_FALSE(http::accepts_html("text/htmlx"));
    CHECK_FALSE(http::accepts_html("text/html;q=0"));
    CHECK_FALSE(http::accepts_html("text/html; q=0.000"));
    CHECK_FALSE(http::accepts_html("text/html;q=abc"));
    CHECK_FALSE(http::accepts_html(""));
}
