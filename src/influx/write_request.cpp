#include "influx/write_request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

#include "util/url.hpp"

namespace influx {
namespace {

// Each API spells the precision its own way; v1 says "u" for microseconds, v3 wants the long names
// (the short ones exist only in recent InfluxDB 3 releases).
std::string precision_for(const std::string& api, const std::string& precision)
{
    if (api == "v1") return precision == "us" ? "u" : precision;
    if (api == "v3") {
        if (precision == "s") return "second";
        if (precision == "ms") return "millisecond";
        if (precision == "us") return "microsecond";
        return "nanosecond";
    }
    return precision;
}

std::string base_url(const std::string& url)
{
    std::string out = url;
    while (!out.empty() && out.back() == '/') out.pop_back();
    return out;
}

std::string one_line(std::string_view text, std::size_t max = 512)
{
    std::string out;
    for (char c : text.substr(0, max)) out += (c == '\n' || c == '\r') ? ' ' : c;
    if (text.size() > max) out += "...";
    return out;
}

// InfluxDB answers errors as {"error":"..."} (v1/v2) or {"message":"..."}; fall back to the body.
std::string error_message(std::string_view body)
{
    for (std::string_view key : {"\"error\"", "\"message\""}) {
        auto pos = body.find(key);
        if (pos == std::string_view::npos) continue;
        pos = body.find('"', body.find(':', pos + key.size()));
        if (pos == std::string_view::npos) continue;
        std::string out;
        for (std::size_t i = pos + 1; i < body.size() && body[i] != '"'; ++i) {
            if (body[i] == '\\' && i + 1 < body.size()) ++i;
            out += body[i];
        }
        return one_line(out);
    }
    return one_line(body);
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value)
{
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (value.empty()) return std::nullopt;
    long long secs = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), secs);
    if (ec == std::errc() && ptr == value.data() + value.size() && secs >= 0)
        return std::chrono::seconds(std::min(secs, 3600LL));
    std::tm tm{};  // an HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT"
    const std::string text(value);
    if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm)) {
        const auto delta = static_cast<long long>(timegm(&tm) - std::time(nullptr));
        return std::chrono::seconds(std::clamp(delta, 0LL, 3600LL));
    }
    return std::nullopt;
}

}  // namespace

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
    if (push.api == "v2") {
        const std::string bucket = push.bucket.empty() ? push.database : push.bucket;
        r.url = base_url(push.url) + "/api/v2/write?org=" + percent_encode(push.org) +
                "&bucket=" + percent_encode(bucket) + "&precision=" + precision;
        if (!push.token.empty()) r.headers.push_back("Authorization: Token " + push.token);
    } else if (push.api == "v3") {
        r.url = base_url(push.url) + "/api/v3/write_lp?db=" + percent_encode(push.database) + "&precision=" + precision;
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
    const std::string path = push.api == "v2" ? "/api/v2/write" : push.api == "v3" ? "/api/v3/write_lp" : "/write";
    std::string url = base_url(push.url);
    if (const auto userinfo = util::find_url_userinfo(url))
        url.erase(userinfo->begin, userinfo->at + 1 - userinfo->begin);
    return "POST " + url + path + " (" + push.api + ")";
}

WriteResult classify(long status, std::string_view body, std::string_view retry_after)
{
    WriteResult r;
    r.status = status;
    if (status >= 200 && status < 300) {
        r.outcome = Outcome::ok;
        return r;
    }
    r.message = error_message(body);
    if (status == 401 || status == 403)
        r.outcome = Outcome::auth;
    else if (status == 404)
        r.outcome = Outcome::not_found;
    else if (status == 413)
        r.outcome = Outcome::too_large;
    else if (status == 429 || status == 503) {
        r.outcome = Outcome::throttled;
        r.retry_after = parse_retry_after(retry_after);
    } else if (status >= 500)
        r.outcome = Outcome::server_error;
    else if (status >= 400)
        r.outcome = Outcome::rejected;
    else
        r.outcome = Outcome::server_error;  // 1xx/3xx where a write answer belongs: try again later
    return r;
}

const char* outcome_name(Outcome outcome) noexcept
{
    switch (outcome) {
    case Outcome::ok: return "ok";
    case Outcome::rejected: return "rejected";
    case Outcome::auth: return "auth";
    case Outcome::not_found: return "not_found";
    case Outcome::too_large: return "too_large";
    case Outcome::throttled: return "throttled";
    case Outcome::server_error: return "server_error";
    case Outcome::network_error: return "network_error";
    }
    return "unknown";
}

bool retryable(Outcome outcome) noexcept
{
    return outcome != Outcome::ok && outcome != Outcome::rejected;
}

std::string redact_credentials(std::string text, const config::PushConfig& push)
{
    const auto userinfo = util::find_url_userinfo(push.url);
    const std::string_view url_password = userinfo ? userinfo->password.value_or("") : "";
    for (std::string_view secret : {std::string_view(push.token), std::string_view(push.password), url_password}) {
        if (secret.empty()) continue;
        for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
            text.replace(pos, secret.size(), "***");
    }
    return text;
}

}  // namespace influx
