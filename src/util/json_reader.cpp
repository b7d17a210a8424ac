#include "util/json_reader.hpp"

#include <charconv>

namespace util {
namespace {

// Recursive descent; `depth` bounds the recursion so a hostile "[[[[..." cannot exhaust the stack.
class Parser {
public:
    Parser(std::string_view text, std::size_t max_depth) : text_(text), max_depth_(max_depth) {}

    std::optional<JsonValue> document()
    {
        auto v = value(0);
        skip_space();
        if (!v || pos_ != text_.size()) return std::nullopt;
        return v;
    }

private:
    bool at_end() const noexcept { return pos_ >= text_.size(); }
    char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }

    void skip_space() noexcept
    {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
    }

    bool literal(std::string_view word) noexcept
    {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    std::optional<JsonValue> value(std::size_t depth)
    {
        if (depth > max_depth_) return std::nullopt;
        skip_space();
        switch (peek()) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': {
            auto s = string();
            if (!s) return std::nullopt;
            return JsonValue{std::move(*s)};
        }
        case 't': return literal("true") ? std::optional(JsonValue{true}) : std::nullopt;
        case 'f': return literal("false") ? std::optional(JsonValue{false}) : std::nullopt;
        case 'n': return literal("null") ? std::optional(JsonValue{nullptr}) : std::nullopt;
        default: return number();
        }
    }

    std::optional<JsonValue> object(std::size_t depth)
    {
        ++pos_;  // '{'
        JsonObject members;
        skip_space();
        if (peek() == '}') return ++pos_, JsonValue{std::move(members)};
        for (;;) {
            skip_space();
            if (peek() != '"') return std::nullopt;
            auto key = string();
            skip_space();
            if (!key || peek() != ':') return std::nullopt;
            ++pos_;
            auto v = value(depth + 1);
            if (!v) return std::nullopt;
            members.keys.push_back(std::move(*key));
            members.values.push_back(std::move(*v));
            skip_space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != '}') return std::nullopt;
            ++pos_;
            return JsonValue{std::move(members)};
        }
    }

    std::optional<JsonValue> array(std::size_t depth)
    {
        ++pos_;  // '['
        JsonArray items;
        skip_space();
        if (peek() == ']') return ++pos_, JsonValue{std::move(items)};
        for (;;) {
            auto v = value(depth + 1);
            if (!v) return std::nullopt;
            items.push_back(std::move(*v));
            skip_space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != ']') return std::nullopt;
            ++pos_;
            return JsonValue{std::move(items)};
        }
    }

    std::optional<unsigned> hex4() noexcept
    {
        unsigned v = 0;
        if (text_.size() - pos_ < 4) return std::nullopt;
        const auto [ptr, ec] = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, v, 16);
        if (ec != std::errc() || ptr != text_.data() + pos_ + 4) return std::nullopt;
        pos_ += 4;
        return v;
    }

    static void append_utf8(std::string& out, unsigned cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    // \uXXXX, with a surrogate pair joined; a lone surrogate becomes U+FFFD rather than invalid UTF-8.
    bool unicode_escape(std::string& out)
    {
        auto cp = hex4();
        if (!cp) return false;
        if (*cp >= 0xD800 && *cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            const auto low = hex4();
            if (!low) return false;
            if (*low >= 0xDC00 && *low < 0xE000) {
                append_utf8(out, 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00));
                return true;
            }
            append_utf8(out, 0xFFFD);
            cp = low;
        }
        append_utf8(out, *cp >= 0xD800 && *cp < 0xE000 ? 0xFFFD : *cp);
        return true;
    }

    std::optional<std::string> string()
    {
        ++pos_;  // '"'
        std::string out;
        while (!at_end()) {
            const char c = text_[pos_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (at_end()) return std::nullopt;
            switch (const char e = text_[pos_++]) {
            case '"':
            case '\\':
            case '/': out += e; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u':
                if (!unicode_escape(out)) return std::nullopt;
                break;
            default: return std::nullopt;
            }
        }
        return std::nullopt;
    }

    std::optional<JsonValue> number()
    {
        const std::size_t start = pos_;
        const auto digits = [&] {
            const std::size_t from = pos_;
            while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
            return pos_ > from;
        };
        if (peek() == '-') ++pos_;
        if (peek() == '0')
            ++pos_;
        else if (!digits())
            return std::nullopt;
        if (peek() == '.' && (++pos_, !digits())) return std::nullopt;
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (!digits()) return std::nullopt;
        }
        return JsonValue{JsonValue::Number{std::string(text_.substr(start, pos_ - start))}};
    }

    std::string_view text_;
    std::size_t max_depth_;
    std::size_t pos_ = 0;
};

}  // namespace

const JsonValue* JsonValue::member(std::string_view key) const noexcept
{
    if (const auto* o = object())
        for (std::size_t i = 0; i < o->keys.size(); ++i)
            if (o->keys[i] == key) return &o->values[i];
    return nullptr;
}

std::optional<unsigned long long> JsonValue::unsigned_integer() const noexcept
{
    const auto* n = std::get_if<Number>(&value);
    if (!n) return std::nullopt;
    unsigned long long v = 0;
    const auto [ptr, ec] = std::from_chars(n->text.data(), n->text.data() + n->text.size(), v);
    if (ec != std::errc() || ptr != n->text.data() + n->text.size()) return std::nullopt;
    return v;
}

std::optional<JsonValue> parse_json(std::string_view text, JsonLimits limits)
{
    if (text.size() > limits.max_bytes) return std::nullopt;
    return Parser(text, limits.max_depth).document();
}

}  // namespace util
