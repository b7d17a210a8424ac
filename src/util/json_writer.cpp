#include "util/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "util/text.hpp"

namespace util {

void append_json_string(std::string& out, std::string_view text)
{
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const std::size_t len = utf8_sequence_length(text, i);
            if (len == 0) {
                out += utf8_replacement;  // JSON must be valid UTF-8
                ++i;
            } else {
                out.append(text.substr(i, len));
                i += len;
            }
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20 || c == 0x7F) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    out += '"';
}

void JsonWriter::newline()
{
    if (!pretty_) return;
    out_ += '\n';
    out_.append(first_.size() * 2, ' ');
}

void JsonWriter::before_value()
{
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_ += ',';
        first_.back() = false;
        newline();
    }
}

JsonWriter& JsonWriter::begin_object()
{
    before_value();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

void JsonWriter::close(char bracket)
{
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ += bracket;
}

JsonWriter& JsonWriter::end_object()
{
    close('}');
    return *this;
}

JsonWriter& JsonWriter::begin_array()
{
    before_value();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array()
{
    close(']');
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view k)
{
    before_value();
    append_json_string(out_, k);
    out_ += pretty_ ? ": " : ":";
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view v)
{
    before_value();
    append_json_string(out_, v);
    return *this;
}

JsonWriter& JsonWriter::value(bool v)
{
    before_value();
    out_ += v ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::value(double v)
{
    if (!std::isfinite(v)) return null();
    before_value();
    char buf[32];
    // Shortest text that reads back as the same double.
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, res.ptr);
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v)
{
    before_value();
    out_ += std::to_string(v);
    return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t v)
{
    before_value();
    out_ += std::to_string(v);
    return *this;
}

JsonWriter& JsonWriter::null()
{
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter& JsonWriter::field_nonempty(std::string_view k, std::string_view v)
{
    if (!v.empty()) key(k).value(v);
    return *this;
}

}  // namespace util
