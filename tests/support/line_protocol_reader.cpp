#include "support/line_protocol_reader.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace influx {
namespace {

struct Malformed {
    const char* why;
};

class Reader {
public:
    explicit Reader(std::string_view line) : s_(line) {}

    bool done() const { return i_ >= s_.size(); }
    char peek() const { return done() ? '\0' : s_[i_]; }
    void expect(char c, const char* why)
    {
        if (peek() != c) throw Malformed{why};
        ++i_;
    }

    // A name up to an unescaped stop character (any of `stops`, which are also the escapable ones).
    std::string name(std::string_view stops, const char* what)
    {
        std::string out;
        while (!done()) {
            const char c = s_[i_];
            if (stops.find(c) != std::string_view::npos) break;
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) throw Malformed{"control character in a name"};
            if (c == '\\' && i_ + 1 < s_.size() && stops.find(s_[i_ + 1]) != std::string_view::npos) {
                out += s_[i_ + 1];
                i_ += 2;
                continue;
            }
            out += c;
            ++i_;
        }
        if (out.empty()) throw Malformed{what};
        return out;
    }

    FieldValue value()
    {
        if (peek() == '"') return quoted();
        const std::size_t start = i_;
        while (!done() && s_[i_] != ',' && s_[i_] != ' ') ++i_;
        const std::string_view text = s_.substr(start, i_ - start);
        if (text.empty()) throw Malformed{"empty field value"};
        for (std::string_view t : {"t", "T", "true", "True", "TRUE"})
            if (text == t) return true;
        for (std::string_view f : {"f", "F", "false", "False", "FALSE"})
            if (text == f) return false;
        if (text.back() == 'i') return integer<std::int64_t>(text.substr(0, text.size() - 1));
        if (text.back() == 'u') return integer<std::uint64_t>(text.substr(0, text.size() - 1));
        const char c = text.front();
        if (c != '-' && c != '.' && (c < '0' || c > '9')) throw Malformed{"field value of unknown type"};
        double d = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), d);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(d))
            throw Malformed{"invalid float"};
        return d;
    }

    std::int64_t timestamp()
    {
        const std::string_view text = s_.substr(i_);
        std::int64_t t = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), t);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size()) throw Malformed{"invalid timestamp"};
        i_ = s_.size();
        return t;
    }

private:
    template <typename Int>
    static Int integer(std::string_view text)
    {
        Int v = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
            throw Malformed{"invalid integer"};
        return v;
    }

    std::string quoted()
    {
        ++i_;
        std::string out;
        while (!done() && s_[i_] != '"') {
            if (s_[i_] == '\\' && i_ + 1 < s_.size() && (s_[i_ + 1] == '"' || s_[i_ + 1] == '\\')) ++i_;
            out += s_[i_++];
        }
        expect('"', "unterminated string");
        return out;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

Point read(std::string_view line, Precision precision)
{
    Reader r(line);
    Point p;
    if (r.peek() == '#') throw Malformed{"comment line"};
    p.measurement = r.name(", ", "empty measurement");
    while (r.peek() == ',') {
        r.expect(',', "");
        Tag t;
        t.key = r.name(",= ", "empty tag key");
        r.expect('=', "tag without '='");
        t.value = r.name(",= ", "empty tag value");
        p.tags.push_back(std::move(t));
    }
    r.expect(' ', "no field set");
    do {
        if (!p.fields.empty()) r.expect(',', "");
        Field f;
        f.key = r.name(",= ", "empty field key");
        r.expect('=', "field without '='");
        f.value = r.value();
        p.fields.push_back(std::move(f));
    } while (r.peek() == ',');
    if (!r.done()) {
        r.expect(' ', "text after the field set");
        const std::int64_t t = r.timestamp();
        if (__builtin_mul_overflow(t, unscale_timestamp(1, precision), &p.timestamp_ns))
            throw Malformed{"timestamp out of range"};
    }
    return p;
}

}  // namespace

std::optional<Point> parse_line(std::string_view line, Precision precision, std::string* error)
{
    try {
        return read(line, precision);
    } catch (const Malformed& m) {
        if (error) *error = m.why;
        return std::nullopt;
    }
}

}  // namespace influx
