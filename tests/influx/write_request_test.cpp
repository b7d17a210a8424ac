#include <doctest/doctest.h>

#include "influx/write_request.hpp"

#include <algorithm>

using influx::Outcome;

namespace {

config::PushConfig push(config::PushApi api)
{
    config::PushConfig p;
    p.url = "http://127.0.0.1:8086/";
    p.api = api;
    p.database = "vm stats";
    p.org = "acme & co";
    p.token = "tok-123";
    return p;
}

bool has(const std::vector<std::string>& v, const std::string& s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("the v1 request goes to /write with db, rp and precision u for microseconds")
{
    auto p = push(config::PushApi::v1);
    p.retention_policy = "one week";
    p.precision = config::Precision::us;
    const auto r = influx::build_request(p, true);
    CHECK(r.url == "http://127.0.0.1:8086/write?db=vm%20stats&precision=u&rp=one%20week");
    CHECK(has(r.headers, "Authorization: Token tok-123"));
    CHECK(has(r.headers, "Content-Encoding: gzip"));
}

TEST_CASE("the v1 request uses basic auth when a user and no token is configured")
{
    auto p = push(config::PushApi::v1);
    p.token.clear();
    p.username = "writer";
    p.password = "pw";
    const auto r = influx::build_request(p, false);
    CHECK(r.basic_user == "writer");
    CHECK(r.basic_password == "pw");
    for (const auto& h : r.headers) CHECK(h.find("Authorization") == std::string::npos);
    CHECK_FALSE(has(r.headers, "Content-Encoding: gzip"));
}

TEST_CASE("the v2 request carries org, bucket (the database by default) and a Token header")
{
    const auto r = influx::build_request(push(config::PushApi::v2), true);
    CHECK(r.url == "http://127.0.0.1:8086/api/v2/write?org=acme%20%26%20co&bucket=vm%20stats&precision=ns");
    CHECK(has(r.headers, "Authorization: Token tok-123"));
}

TEST_CASE("the v3 request goes to /api/v3/write_lp with a Bearer header and a long precision name")
{
    auto p = push(config::PushApi::v3);
    p.precision = config::Precision::ms;
    const auto r = influx::build_request(p, true);
    CHECK(r.url == "http://127.0.0.1:8086/api/v3/write_lp?db=vm%20stats&precision=millisecond");
    CHECK(has(r.headers, "Authorization: Bearer tok-123"));
}

TEST_CASE("the endpoint description for logs carries no credentials")
{
    auto p = push(config::PushApi::v1);
    p.url = "https://user:secret@influx.example:8086";
    const auto d = influx::describe(p);
    CHECK(d == "POST https://influx.example:8086/write (v1)");
    CHECK(d.find("secret") == std::string::npos);
    CHECK(d.find("tok-123") == std::string::npos);
}

TEST_CASE("a server's message that echoes the credentials is redacted")
{
    config::PushConfig push;
    push.url = "http://writer:url-pass-42@influx.example:8086/path";
    push.token = "tok-3cr3t";
    push.password = "pw-9";
    const auto text = influx::redact_credentials(
        "bad credentials: Token tok-3cr3t, user writer, password pw-9 (url-pass-42) tok-3cr3t", push);
    CHECK(text == "bad credentials: Token ***, user writer, password *** (***) ***");
    CHECK(influx::redact_credentials("nothing secret here", config::PushConfig{}) == "nothing secret here");
}

TEST_CASE("the v3 request carries no_sync and accept_partial only when they differ from InfluxDB 3's defaults")
{
    auto p = push(config::PushApi::v3);
    CHECK(influx::build_request(p, true).url ==
          "http://127.0.0.1:8086/api/v3/write_lp?db=vm%20stats&precision=nanosecond");
    p.v3.no_sync = true;
    p.v3.accept_partial = false;
    p.precision = config::Precision::s;
    CHECK(influx::build_request(p, true).url ==
          "http://127.0.0.1:8086/api/v3/write_lp?db=vm%20stats&precision=second&no_sync=true&accept_partial=false");
    p.precision = config::Precision::us;
    p.v3.no_sync = false;
    CHECK(influx::build_request(p, true).url ==
          "http://127.0.0.1:8086/api/v3/write_lp?db=vm%20stats&precision=microsecond&accept_partial=false");
}

TEST_CASE("the endpoint description names the proxy without its credentials, and they are redacted")
{
    auto p = push(config::PushApi::v1);
    p.proxy = "http://squid:proxy-pw-7@proxy.example:3128";
    const auto d = influx::describe(p);
    CHECK(d == "POST http://127.0.0.1:8086/write (v1) via proxy http://proxy.example:3128");
    CHECK(influx::redact_credentials("407 from squid:proxy-pw-7", p) == "407 from squid:***");
}
