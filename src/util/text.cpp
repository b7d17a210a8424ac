#include "util/text.hpp"

namespace util {

std::string_view trim_start(std::string_view text, std::string_view chars) noexcept
{
    const auto first = text.find_first_not_of(chars);
    return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

std::string_view trim_end(std::string_view text, std::string_view chars) noexcept
{
    const auto last = text.find_last_not_of(chars);
    return last == std::string_view::npos ? std::string_view() : text.substr(0, last + 1);
}

char ascii_lower(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lower(std::string_view text)
{
    std::string out(text);
    for (auto& c : out) c = ascii_lower(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

std::string_view trim(std::string_view text, std::string_view chars) noexcept
{
    return trim_end(trim_start(text, chars), chars);
}

// The ranges of Table 3-7 of the Unicode Standard: only the second byte's range depends on the first
// byte, which rules out overlongs (E0, F0), surrogates (ED) and code points past U+10FFFF (F4) without
// decoding the code point.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        n = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        n = 3;
        if (lead == 0xe0) lo = 0xa0;
        if (lead == 0xed) hi = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        n = 4;
        if (lead == 0xf0) lo = 0x90;
        if (lead == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (i + n > text.size()) return 0;
    if (byte(1) < lo || byte(1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(k) < 0x80 || byte(k) > 0xbf) return 0;
    return n;
}

std::string_view valid_utf8(std::string_view text, std::string& scratch)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0) break;
        i += n;
    }
    if (i == text.size()) return text;
    scratch.assign(text.substr(0, i));
    while (i < text.size()) {
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0) {
            scratch += utf8_replacement;
            ++i;
        } else {
            scratch.append(text.substr(i, n));
            i += n;
        }
    }
    return scratch;
}

}  // namespace util
