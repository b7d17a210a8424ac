#include "influx/write_answer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include "util/json_reader.hpp"
#include "util/text.hpp"

namespace influx {
namespace {

using std::chrono::seconds;
constexpr long long max_retry_after = 24LL * 3600;  // a server asking for more is wrong: our own cap applies

// Digits at the start of `text` as a number; saturates instead of failing on overflow, so a hostile
// "dropped=99999999999999999999999" reads as "very many" (then bounded by the batch), never as an error.
std::optional<unsigned long long> leading_number(std::string_view text) noexcept
{
    std::size_t n = 0;
    while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
    if (n == 0) return std::nullopt;
    unsigned long long v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + n, v);
    if (ec == std::errc::result_out_of_range) return std::numeric_limits<unsigned long long>::max();
    return ptr == text.data() + n ? std::optional(v) : std::nullopt;
}

// The number after the last `key` in `text` ("dropped=3"), or before `suffix` ("(5 written)").
std::optional<unsigned long long> number_after(std::string_view text, std::string_view key) noexcept
{
    const auto pos = text.rfind(key);
    return pos == std::string_view::npos ? std::nullopt : leading_number(text.substr(pos + key.size()));
}

std::optional<unsigned long long> number_before(std::string_view text, std::string_view suffix) noexcept
{
    const auto end = text.find(suffix);
    if (end == std::string_view::npos) return std::nullopt;
    std::size_t start = end;
    while (start > 0 && text[start - 1] >= '0' && text[start - 1] <= '9') --start;
    return leading_number(text.substr(start, end - start));
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
long long days_from_civil(long long y, unsigned m, unsigned d) noexcept
{
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

std::optional<unsigned> month_number(std::string_view name) noexcept
{
    static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (unsigned i = 0; i < months.size(); ++i)
        if (name == months[i]) return i + 1;
    return std::nullopt;
}

// The fields of an HTTP date, split on spaces, commas, dashes and colons: IMF-fixdate
// "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994".
std::optional<long long> http_date_unix(std::string_view text) noexcept
{
    std::array<std::string_view, 9> f{};
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size() && count < f.size();) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '-' || text[i] == ':')) ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != ',' && text[i] != '-' && text[i] != ':') ++i;
        if (i > start) f[count++] = text.substr(start, i - start);
    }
    if (count < 7) return std::nullopt;
    const auto num = [](std::string_view s) -> std::optional<unsigned long long> {
        if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789") != std::string_view::npos)
            return std::nullopt;
        return leading_number(s);
    };
    // asctime puts the month second and the year last; the others put the day second.
    const bool asctime = month_number(f[1]).has_value();
    const auto month = month_number(asctime ? f[1] : f[2]);
    const auto day = num(asctime ? f[2] : f[1]);
    auto year = num(asctime ? f[6] : f[3]);
    const auto h = num(asctime ? f[3] : f[4]), m = num(asctime ? f[4] : f[5]), s = num(asctime ? f[5] : f[6]);
    if (!month || !day || !year || !h || !m || !s || *day < 1 || *day > 31 || *h > 23 || *m > 59 || *s > 60)
        return std::nullopt;
    if (*year < 100) *year += *year < 70 ? 2000 : 1900;  // RFC 7231: two-digit years, the nearest century
    return days_from_civil(static_cast<long long>(*year), *month, static_cast<unsigned>(*day)) * 86400 +
           static_cast<long long>(*h * 3600 + *m * 60 + *s);
}

// The server's error text, and for InfluxDB 3 the first rejected line, from a JSON body; else the body.
void read_error_body(const Answer& answer, WriteResult& r)
{
    const auto json = util::parse_json(answer.body);
    const std::string* text = nullptr;
    if (json)
        for (const char* key : {"error", "message"})
            if (const auto* v = json->member(key); v && v->string()) {
                text = v->string();
                break;
            }
    r.message = printable_line(text ? std::string_view(*text) : std::string_view(answer.body));
    if (const auto* data = json ? json->member("data") : nullptr; data && data->array()) {
        // InfluxDB 3: {"error": "partial write of line protocol occurred", "data": [{"line_number": 2,
        // "error_message": "...", "original_line": "..."}, ...]}, one entry a rejected line.
        r.rejected_lines = data->array()->size();
        if (!data->array()->empty()) {
            const auto& first = data->array()->front();
            const auto* line = first.member("line_number");
            const auto* error = first.member("error_message");
            if (error && error->string())
                r.message += printable_line(
                    "; first rejected line" +
                    (line && line->unsigned_integer() ? " " + std::to_string(*line->unsigned_integer()) : "") + ": " +
                    *error->string());
        }
        return;
    }
    const std::string_view message = text ? std::string_view(*text) : std::string_view(answer.body);
    r.rejected_lines = number_after(message, "dropped=");
    if (!r.rejected_lines) r.written_lines = number_before(message, " written)");
}

}  // namespace

std::optional<seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) noexcept
{
    value = util::trim(value, " \t");  // HTTP's optional whitespace
    if (value.empty()) return std::nullopt;
    if (value.find_first_not_of("0123456789") == std::string_view::npos) {
        const auto secs = leading_number(value);  // saturates: "99999999999999999999" is "a long time"
        return seconds(static_cast<long long>(std::min<unsigned long long>(*secs, max_retry_after)));
    }
    const auto at = http_date_unix(value);
    if (!at) return std::nullopt;  // negative, fractional or garbage: as if absent
    const long long now_unix = std::chrono::duration_cast<seconds>(now.time_since_epoch()).count();
    return seconds(std::clamp(*at - now_unix, 0LL, max_retry_after));
}

WriteResult transport_error(std::string message)
{
    WriteResult r;
    r.outcome = Outcome::network_error;
    r.message = std::move(message);
    return r;
}

WriteResult classify(const Answer& answer, std::chrono::system_clock::time_point now)
{
    WriteResult r;
    r.status = answer.status;
    const long s = answer.status;
    if (s >= 200 && s < 300) {
        r.outcome = Outcome::ok;
        return r;
    }
    if (s < 100 || s > 999) {
        r.outcome = Outcome::network_error;
        r.message = "no valid HTTP status in the answer";
        return r;
    }
    read_error_body(answer, r);
    if (s < 200 || (s >= 300 && s < 400)) {
        // A 1xx as the final answer, or a redirect (never followed: the push URL is configured, and a
        // redirect would carry our credentials elsewhere). Retried, in case it was a passing state.
        r.outcome = Outcome::server_error;
        r.message = printable_line(std::string(s < 200 ? "informational"
                                                       : "redirect (not followed; set push.url "
                                                         "to the final address)") +
                                   (r.message.empty() ? "" : ": " + r.message));
    } else if (s == 401 || s == 403) {
        r.outcome = Outcome::auth;
    } else if (s == 404) {
        r.outcome = Outcome::not_found;
    } else if (s == 413) {
        r.outcome = Outcome::too_large;
    } else if (s == 429 || s == 503) {
        r.outcome = Outcome::throttled;
        r.retry_after = parse_retry_after(answer.retry_after, now);
    } else if (s >= 500) {
        r.outcome = Outcome::server_error;
    } else {
        r.outcome = Outcome::rejected;
    }
    if (r.outcome != Outcome::rejected) r.rejected_lines = r.written_lines = std::nullopt;
    return r;
}

std::size_t rejected_count(const WriteResult& result, std::size_t batch) noexcept
{
    if (result.rejected_lines)
        return static_cast<std::size_t>(std::min<unsigned long long>(*result.rejected_lines, batch));
    if (result.written_lines)
        return batch - static_cast<std::size_t>(std::min<unsigned long long>(*result.written_lines, batch));
    return batch;
}

std::string printable_line(std::string_view text, std::size_t max)
{
    std::string out;
    out.reserve(std::min(text.size(), max) + 3);
    std::size_t i = 0;
    while (i < text.size() && out.size() < max) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        // A whole, valid UTF-8 sequence of 2 to 4 bytes passes; anything else is one '?'.
        const std::size_t len = c >= 0x80 ? util::utf8_sequence_length(text, i) : 0;
        if (len > 0) {
            out.append(text.substr(i, len));
            i += len;
        } else {
            out += c == '\n' || c == '\r' || c == '\t' ? ' ' : '?';
            ++i;
        }
    }
    if (i < text.size()) out += "...";
    return out;
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

}  // namespace influx
