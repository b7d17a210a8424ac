// A small streaming JSON writer for the debugging and API views (--once, /api/*). It escapes every
// string (control characters, quotes, backslashes; invalid UTF-8 bytes become U+FFFD) so arbitrary
// domain names and device paths always produce valid JSON. Non-finite doubles are written as null.
// Not thread-safe; one writer per document. Throws only std::bad_alloc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace util {

class JsonWriter {
public:
    explicit JsonWriter(bool pretty = false) : pretty_(pretty) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    // Inside an object: the key of the next value.
    JsonWriter& key(std::string_view k);

    JsonWriter& value(std::string_view v);
    JsonWriter& value(const char* v) { return value(std::string_view(v)); }
    JsonWriter& value(const std::string& v) { return value(std::string_view(v)); }
    JsonWriter& value(bool v);
    JsonWriter& value(double v);
    JsonWriter& value(std::int64_t v);
    JsonWriter& value(std::uint64_t v);
    JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
    JsonWriter& value(unsigned v) { return value(static_cast<std::uint64_t>(v)); }
    JsonWriter& null();

    // key + value, skipped entirely when the optional is empty (absent stays absent).
    template <typename T>
    JsonWriter& field(std::string_view k, const std::optional<T>& v)
    {
        if (v) key(k).value(*v);
        return *this;
    }
    template <typename T>
    JsonWriter& field(std::string_view k, const T& v)
    {
        return key(k).value(v);
    }
    // key + string value, skipped when the string is empty.
    JsonWriter& field_nonempty(std::string_view k, std::string_view v);

    const std::string& str() const noexcept { return out_; }
    std::string take() noexcept { return std::move(out_); }

private:
    void before_value();
    void newline();
    void close(char bracket);

    std::string out_;
    std::vector<bool> first_;  // per open container: no element written yet
    bool after_key_ = false;
    bool pretty_;
};

// Appends `text` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view text);

}  // namespace util
