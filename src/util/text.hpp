// Small text helpers shared by the parsers and writers: trimming, and UTF-8 validation that replaces
// what is not UTF-8 (JSON, InfluxDB line protocol and the web pages all need valid UTF-8; domain names
// and device paths from libvirt need not be). Pure; nothing here throws but std::bad_alloc.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace util {

// The characters std::isspace accepts in the "C" locale.
inline constexpr std::string_view ascii_whitespace = " \t\n\v\f\r";

// `text` without the leading / trailing / leading and trailing characters that are in `chars`.
std::string_view trim_start(std::string_view text, std::string_view chars = ascii_whitespace) noexcept;
std::string_view trim_end(std::string_view text, std::string_view chars = ascii_whitespace) noexcept;
std::string_view trim(std::string_view text, std::string_view chars = ascii_whitespace) noexcept;

// ASCII case folding (HTTP header names, URL schemes, config words): other bytes are left as they are.
char ascii_lower(char c) noexcept;
std::string ascii_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b) noexcept;

// The length of the well-formed UTF-8 sequence that starts at text[i] (i < text.size()): 1 to 4, or 0
// when there is none there. Overlong forms, UTF-16 surrogates (U+D800..U+DFFF), code points above
// U+10FFFF and truncated sequences are not well-formed (Unicode's Table 3-7, as Go and Rust read it).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept;

// The UTF-8 encoding of U+FFFD, which stands in for each byte that starts no well-formed sequence.
inline constexpr std::string_view utf8_replacement = "\xEF\xBF\xBD";

// `text` with every byte that starts no well-formed sequence replaced by U+FFFD. The common case, text
// that is valid already, is returned as it is; otherwise the result is written to `scratch`, which
// then backs the returned view.
std::string_view valid_utf8(std::string_view text, std::string& scratch);

}  // namespace util
