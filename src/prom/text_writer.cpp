#include "prom/text_writer.hpp"

#include <charconv>
#include <cmath>

namespace prom {
namespace {

// HELP text escapes backslash and newline only; label values also escape the double quote.
void append_escaped(std::string& out, std::string_view text, bool quote)
{
    std::size_t plain = 0;  // copy runs of ordinary bytes in one go: most values have nothing to escape
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '\\' && c != '\n' && !(quote && c == '"')) continue;
        out.append(text.substr(plain, i - plain));
        out += '\\';
        out += c == '\n' ? 'n' : c;
        plain = i + 1;
    }
    out.append(text.substr(plain));
}

// Doubles that hold an integer below 2^53 are exact as integers, and written so they read as they did
// with prometheus-cpp ("1000000000", where the shortest round trip would be "1e+09").
constexpr double exact_integer_limit = 9007199254740992.0;

}  // namespace

void append_label(std::string& set, std::string_view name, std::string_view value)
{
    if (!set.empty()) set += ',';
    set.append(name);
    set += "=\"";
    append_escaped(set, value, true);
    set += '"';
}

void TextWriter::family(const Family& f)
{
    current_ = f;
    head_written_ = false;
}

void TextWriter::begin(std::string_view labels, std::string_view more)
{
    if (!head_written_) {
        out_ += "# HELP ";
        out_.append(current_.name);
        out_ += ' ';
        append_escaped(out_, current_.help, false);
        out_ += "\n# TYPE ";
        out_.append(current_.name);
        out_ += current_.type == Type::counter ? " counter\n" : " gauge\n";
        head_written_ = true;
    }
    out_.append(current_.name);
    if (!labels.empty() || !more.empty()) {
        out_ += '{';
        out_.append(labels);
        if (!labels.empty() && !more.empty()) out_ += ',';
        out_.append(more);
        out_ += '}';
    }
    out_ += ' ';
}

void TextWriter::sample(std::string_view labels, std::string_view more, double value)
{
    begin(labels, more);
    append_double(value);
    end_line();
}

void TextWriter::append_integer(std::int64_t v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
}

void TextWriter::append_integer(std::uint64_t v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
}

void TextWriter::append_double(double v)
{
    // Spelled as Prometheus' own client libraries spell them.
    if (std::isnan(v)) {
        out_ += "NaN";
    } else if (std::isinf(v)) {
        out_ += v > 0 ? "+Inf" : "-Inf";
    } else if (std::fabs(v) < exact_integer_limit && v == std::trunc(v)) {
        append_integer(static_cast<std::int64_t>(v));
    } else {
        // The shortest text that parses back to the same double: exact, and short.
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, r.ptr);
    }
}

}  // namespace prom
