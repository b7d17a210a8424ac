#include "influx/line_protocol.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "util/text.hpp"

namespace influx {
namespace {

constexpr std::string_view measurement_escapes = ", ";
constexpr std::string_view key_escapes = ",= ";
constexpr std::string_view hex = "0123456789abcdef";

bool is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

void append_control(std::string& out, unsigned char c)
{
    out += '\\';
    switch (c) {
    case '\n': out += 'n'; return;
    case '\r': out += 'r'; return;
    case '\t': out += 't'; return;
    case '\f': out += 'f'; return;
    case '\v': out += 'v'; return;
    default:
        out += 'x';
        out += hex[c >> 4];
        out += hex[c & 0xf];
    }
}

// Sanitizes `name` (see the header) and, with non-empty `escapes`, escapes those characters.
void append_name(std::string& out, std::string_view name, std::string_view escapes)
{
    std::string scratch;
    const std::string_view in = util::valid_utf8(name, scratch);
    for (std::size_t i = 0; i < in.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(in[i]);
        if (c == '\\') {
            // Only a backslash before a plain character reads the same in every parser.
            const bool plain = i + 1 < in.size() && !is_control(static_cast<unsigned char>(in[i + 1])) &&
                               std::string_view("\\,= \"").find(in[i + 1]) == std::string_view::npos;
            out += plain ? '\\' : '/';
        } else if (is_control(c)) {
            append_control(out, c);
        } else {
            if (escapes.find(static_cast<char>(c)) != std::string_view::npos) out += '\\';
            out += static_cast<char>(c);
        }
    }
}

// A string field value as every server stores it: a newline or carriage return becomes the two
// characters `\n` / `\r` (a raw one would end the line for 1.x and VictoriaMetrics).
void append_string(std::string& out, std::string_view value)
{
    std::string scratch;
    for (char c : util::valid_utf8(value, scratch)) {
        if (c == '\n' || c == '\r') {
            out += '\\';
            out += c == '\n' ? 'n' : 'r';
        } else {
            out += c;
        }
    }
}

std::optional<FieldValue> writable(const FieldValue& value)
{
    if (const auto* u = std::get_if<std::uint64_t>(&value)) {
        if (*u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return FieldValue(static_cast<std::int64_t>(*u));
    }
    if (const auto* d = std::get_if<double>(&value); d && !std::isfinite(*d)) return std::nullopt;
    if (const auto* s = std::get_if<std::string>(&value)) return FieldValue(sanitize_string(*s));
    return value;
}

template <typename Item>
void sort_and_dedupe(std::vector<Item>& items)
{
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.key < b.key; });
    items.erase(std::unique(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.key == b.key; }),
                items.end());
}

void append_value(std::string& out, const FieldValue& value)
{
    char buf[32];
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        out.append(buf, std::to_chars(buf, buf + sizeof buf, *i).ptr);
        out += 'i';
    } else if (const auto* d = std::get_if<double>(&value)) {
        out += format_float(*d);
    } else if (const auto* b = std::get_if<bool>(&value)) {
        out += *b ? "true" : "false";
    } else if (const auto* s = std::get_if<std::string>(&value)) {
        // canonical() sanitized it already: only quotes and backslashes are left to escape.
        out += '"';
        for (char c : *s) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
}

}  // namespace

namespace {
std::int64_t divisor(Precision p) noexcept
{
    switch (p) {
    case Precision::us: return 1'000;
    case Precision::ms: return 1'000'000;
    case Precision::s: return 1'000'000'000;
    case Precision::ns: break;
    }
    return 1;
}
}  // namespace

std::int64_t scale_timestamp(std::int64_t ns, Precision p) noexcept
{
    const std::int64_t d = divisor(p);
    const std::int64_t q = ns / d;
    return (ns % d != 0 && ns < 0) ? q - 1 : q;
}

std::int64_t unscale_timestamp(std::int64_t value, Precision p) noexcept
{
    return value * divisor(p);
}

std::string sanitize_name(std::string_view name)
{
    std::string out;
    append_name(out, name, {});
    return out;
}

std::string sanitize_string(std::string_view value)
{
    std::string out;
    append_string(out, value);
    return out;
}

std::string format_float(double value)
{
    char buf[40];
    std::string text(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
    // "-1e+06" -> "-1.0e+06": older InfluxDB 3 parsers read a signed exponent form only with a '.'.
    if (const auto e = text.find('e'); e != std::string::npos && text.find('.') == std::string::npos)
        text.insert(e, ".0");
    return text;
}

std::optional<Point> canonical(const Point& point)
{
    Point p;
    p.measurement = sanitize_name(point.measurement);
    if (p.measurement.empty() || p.measurement.front() == '#') return std::nullopt;
    p.timestamp_ns = point.timestamp_ns;
    for (const auto& t : point.tags) {
        if (t.key.empty() || t.value.empty() || t.key == "time") continue;
        p.tags.push_back({sanitize_name(t.key), sanitize_name(t.value)});
    }
    for (const auto& f : point.fields) {
        if (f.key.empty() || f.key == "time") continue;
        if (auto v = writable(f.value)) p.fields.push_back({sanitize_name(f.key), std::move(*v)});
    }
    if (p.fields.empty()) return std::nullopt;
    sort_and_dedupe(p.tags);
    // Fields keep their order (the table's, easier to read); only a repeated key is dropped.
    std::vector<Field> unique;
    for (auto& f : p.fields)
        if (std::none_of(unique.begin(), unique.end(), [&](const Field& u) { return u.key == f.key; }))
            unique.push_back(std::move(f));
    p.fields = std::move(unique);
    return p;
}

bool encode(const Point& point, Precision precision, std::string& out)
{
    const std::optional<Point> p = canonical(point);
    if (!p) return false;
    // Canonical names are sanitized, so escaping is all that is left; append_name leaves them as they are.
    append_name(out, p->measurement, measurement_escapes);
    for (const auto& t : p->tags) {
        out += ',';
        append_name(out, t.key, key_escapes);
        out += '=';
        append_name(out, t.value, key_escapes);
    }
    char sep = ' ';
    for (const auto& f : p->fields) {
        out += sep;
        sep = ',';
        append_name(out, f.key, key_escapes);
        out += '=';
        append_value(out, f.value);
    }
    out += ' ';
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, scale_timestamp(p->timestamp_ns, precision)).ptr);
    return true;
}

void append_lines(const std::vector<Point>& points, Precision precision, std::vector<std::string>& lines)
{
    lines.reserve(lines.size() + points.size());
    for (const auto& p : points) {
        std::string line;
        if (encode(p, precision, line)) lines.push_back(std::move(line));
    }
}

}  // namespace influx
