#include "influx/line_protocol.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace influx {
namespace {

void append_escaped(std::string& out, std::string_view text, std::string_view specials)
{
    while (!text.empty() && text.back() == '\\') text.remove_suffix(1);
    for (char c : text) {
        if (c == '\n' || c == '\r') c = ' ';
        if (specials.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
}

bool representable(std::string_view text)
{
    return text.find_first_not_of('\\') != std::string_view::npos;
}

bool append_field_value(std::string& out, const FieldValue& value)
{
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        out += std::to_string(*i);
        out += 'i';
    } else if (const auto* d = std::get_if<double>(&value)) {
        if (!std::isfinite(*d)) return false;
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, *d);
        out.append(buf, r.ptr);
    } else if (const auto* b = std::get_if<bool>(&value)) {
        out += *b ? "true" : "false";
    } else {
        out += '"';
        for (char c : std::get<std::string>(value)) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return true;
}

std::int64_t scale(std::int64_t ns, Precision p)
{
    switch (p) {
    case Precision::us: return ns / 1000;
    case Precision::ms: return ns / 1000000;
    case Precision::s: return ns / 1000000000;
    case Precision::ns: break;
    }
    return ns;
}

// Reads up to an unescaped stop character, unescaping as it goes (the decode side of append_escaped).
std::string read_until(std::string_view line, std::size_t& pos, std::string_view stops)
{
    std::string out;
    while (pos < line.size() && stops.find(line[pos]) == std::string_view::npos) {
        if (line[pos] == '\\' && pos + 1 < line.size() && std::string_view(",= ").find(line[pos + 1]) != std::string_view::npos)
            ++pos;
        out += line[pos++];
    }
    return out;
}

}  // namespace

Precision precision_from(std::string_view name) noexcept
{
    if (name == "us") return Precision::us;
    if (name == "ms") return Precision::ms;
    if (name == "s") return Precision::s;
    return Precision::ns;
}

std::optional<std::string> encode(const Point& point, Precision precision)
{
    if (!representable(point.measurement)) return std::nullopt;
    std::string line;
    line.reserve(256);
    append_escaped(line, point.measurement, ", ");

    std::vector<const std::pair<std::string, std::string>*> tags;
    for (const auto& t : point.tags)
        if (representable(t.first) && representable(t.second)) tags.push_back(&t);
    std::sort(tags.begin(), tags.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    for (const auto* t : tags) {
        line += ',';
        append_escaped(line, t->first, ",= ");
        line += '=';
        append_escaped(line, t->second, ",= ");
    }

    char separator = ' ';
    for (const auto& [key, value] : point.fields) {
        if (!representable(key)) continue;
        std::string field;
        append_escaped(field, key, ",= ");
        field += '=';
        if (!append_field_value(field, value)) continue;
        line += separator;
        line += field;
        separator = ',';
    }
    if (separator == ' ') return std::nullopt;  // no field left
    line += ' ';
    line += std::to_string(scale(point.timestamp_ns, precision));
    return line;
}

std::optional<Point> decode(std::string_view line)
{
    Point p;
    std::size_t pos = 0;
    p.measurement = read_until(line, pos, ", ");
    while (pos < line.size() && line[pos] == ',') {
        ++pos;
        std::string key = read_until(line, pos, "=");
        if (pos >= line.size()) return std::nullopt;
        ++pos;
        p.tags.emplace_back(std::move(key), read_until(line, pos, ", "));
    }
    if (pos >= line.size() || line[pos] != ' ') return std::nullopt;
    ++pos;
    while (pos < line.size()) {
        std::string key = read_until(line, pos, "=");
        if (pos >= line.size()) return std::nullopt;
        ++pos;
        if (pos < line.size() && line[pos] == '"') {
            std::string s;
            for (++pos; pos < line.size() && line[pos] != '"'; ++pos) {
                if (line[pos] == '\\' && pos + 1 < line.size()) ++pos;
                s += line[pos];
            }
            if (pos >= line.size()) return std::nullopt;
            ++pos;
            p.fields.emplace_back(std::move(key), std::move(s));
        } else {
            const auto end = line.find_first_of(", ", pos);
            const std::string_view v = line.substr(pos, end == std::string_view::npos ? end : end - pos);
            pos = end == std::string_view::npos ? line.size() : end;
            if (v == "true" || v == "false") {
                p.fields.emplace_back(std::move(key), v == "true");
            } else if (!v.empty() && v.back() == 'i') {
                std::int64_t i = 0;
                if (std::from_chars(v.data(), v.data() + v.size() - 1, i).ec != std::errc()) return std::nullopt;
                p.fields.emplace_back(std::move(key), i);
            } else {
                double d = 0;
                if (std::from_chars(v.data(), v.data() + v.size(), d).ec != std::errc()) return std::nullopt;
                p.fields.emplace_back(std::move(key), d);
            }
        }
        if (pos < line.size() && line[pos] == ',') ++pos;
        else break;
    }
    if (pos >= line.size() || line[pos] != ' ') return std::nullopt;
    const std::string_view ts = line.substr(pos + 1);
    if (std::from_chars(ts.data(), ts.data() + ts.size(), p.timestamp_ns).ec != std::errc()) return std::nullopt;
    return p;
}

}  // namespace influx
