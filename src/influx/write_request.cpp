#include "influx/write_request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

#include "util/url.hpp"

namespace influx {
namespace {

// Each API spells the precision its own way: v2 as the config does, v1 says "u" for microseconds, v3
// wants the long names (the short ones exist only in recent InfluxDB 3 releases).
std::string_view precision_for(config::PushApi api, config::Precision precision)
{
    using config::Precision;
    if (api == config::PushApi::v1 && precision == Precision::us) return "u";
    if (api != config::PushApi::v3) return config::name_of(precision);
    switch (precision) {
    case Precision::s: return "second";
    case Precision::ms: return "millisecond";
    case Precision::us: return "microsecond";
    case Precision::ns: break;
    }
    return "nanosecond";
}

std::string base_url(const std::string& url)
{
    std::string out = url;
    while (!out.empty() && out.back() == '/') out.pop_back();
    return out;
}

std::string without_userinfo(std::string url)
{
    if (const auto userinfo = util::find_url_userinfo(url))
        url.erase(userinfo->begin, userinfo->at + 1 - userinfo->begin);
    return url;
}

}  // namespace

std::string masked_url(const std::string& url)
{
    const auto userinfo = util::find_url_userinfo(url);
    if (!userinfo || !userinfo->password) return url;
    const std::size_t password_begin = userinfo->at - userinfo->password->size();
    return url.substr(0, password_begin) + "***" + url.substr(userinfo->at);
}

std::string percent_encode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

WriteRequest build_request(const config::PushConfig& push, bool gzip_body)
{
    WriteRequest r;
    const std::string precision = percent_encode(precision_for(push.api, push.precision));
    if (push.api == config::PushApi::v2) {
        const std::string bucket = push.bucket.empty() ? push.database : push.bucket;
        r.url = base_url(push.url) + "/api/v2/write?org=" + percent_encode(push.org) +
                "&bucket=" + percent_encode(bucket) + "&precision=" + precision;
        if (!push.token.empty()) r.headers.push_back("Authorization: Token " + push.token);
    } else if (push.api == config::PushApi::v3) {
        r.url = base_url(push.url) + "/api/v3/write_lp?db=" + percent_encode(push.database) + "&precision=" + precision;
        // Only what differs from InfluxDB 3's defaults (no_sync=false, accept_partial=true).
        if (push.v3.no_sync) r.url += "&no_sync=true";
        if (!push.v3.accept_partial) r.url += "&accept_partial=false";
        if (!push.token.empty()) r.headers.push_back("Authorization: Bearer " + push.token);
    } else {
        r.url = base_url(push.url) + "/write?db=" + percent_encode(push.database) + "&precision=" + precision;
        if (!push.retention_policy.empty()) r.url += "&rp=" + percent_encode(push.retention_policy);
        // InfluxDB 2.x/3.x v1-compatibility accept a token; 1.x takes user and password.
        if (!push.token.empty()) {
            r.headers.push_back("Authorization: Token " + push.token);
        } else if (!push.username.empty()) {
            r.basic_user = push.username;
            r.basic_password = push.password;
        }
    }
    r.headers.push_back("Content-Type: text/plain; charset=utf-8");
    if (gzip_body) r.headers.push_back("Content-Encoding: gzip");
    return r;
}

std::string describe(const config::PushConfig& push)
{
    const std::string path = push.api == config::PushApi::v2   ? "/api/v2/write"
                             : push.api == config::PushApi::v3 ? "/api/v3/write_lp"
                                                               : "/write";
    std::string out =
        "POST " + without_userinfo(base_url(push.url)) + path + " (" + std::string(config::name_of(push.api)) + ")";
    if (!push.proxy.empty()) out += " via proxy " + without_userinfo(push.proxy);
    return out;
}

std::string redact_credentials(std::string text, const config::PushConfig& push)
{
    std::vector<std::string_view> secrets{push.token, push.password};
    for (const std::string* url : {&push.url, &push.proxy})
        if (const auto userinfo = util::find_url_userinfo(*url)) secrets.push_back(userinfo->password.value_or(""));
    for (const auto& url : push.urls)
        if (const auto userinfo = util::find_url_userinfo(url)) secrets.push_back(userinfo->password.value_or(""));
    for (std::string_view secret : secrets) {
        if (secret.empty()) continue;
        for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
            text.replace(pos, secret.size(), "***");
    }
    return text;
}

}  // namespace influx
