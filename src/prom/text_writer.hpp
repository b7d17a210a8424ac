// The Prometheus text exposition format 0.0.4, written straight into one std::string: HELP and TYPE of
// a family, then its samples, each `name{labels} value\n`. Label sets come pre-escaped (append_label),
// so a domain's set is escaped once and reused for all its series; numbers go through std::to_chars.
// Nothing is allocated per sample beyond the growth of the output string.
//
// Ownership: a TextWriter borrows its output string and writes one exposition on one thread (the HTTP
// thread of the scrape, or a test). Throws only std::bad_alloc.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace prom {

enum class Type { counter, gauge };

// The constant part of a family: the name, HELP text and TYPE it is exposed with.
struct Family {
    std::string_view name;
    std::string_view help;
    Type type;
};

// Appends `name="value"` to a label set (after a comma unless the set is empty), the value escaped as
// the text format wants (backslash, double quote, newline); UTF-8 passes through unchanged.
void append_label(std::string& set, std::string_view name, std::string_view value);

// The units libvirt reports in; exposed in Prometheus' base units (bytes, seconds).
enum class Unit { one, kib, ns, ms };

// ns → s (and ms → s) divides, so the result is the double nearest the true number of seconds: 123e9 ns
// is 123, where a multiplication by 1e-9 gives 123.00000000000001.
constexpr double to_base(double value, Unit unit)
{
    switch (unit) {
    case Unit::kib: return value * 1024.0;
    case Unit::ns: return value / 1e9;
    case Unit::ms: return value / 1e3;
    case Unit::one: break;
    }
    return value;
}

template <typename T>
std::optional<double> to_base(const std::optional<T>& value, Unit unit)
{
    if (!value) return std::nullopt;
    return to_base(static_cast<double>(*value), unit);
}

class TextWriter {
public:
    // Appends everything to `out`.
    explicit TextWriter(std::string& out) : out_(out) {}
    // Streams: whenever `out` has reached `chunk` bytes at the end of a line, drain(out) is called, which
    // takes the text and empties `out`; finish() drains the rest. The whole text never exists at once.
    TextWriter(std::string& out, std::size_t chunk, std::function<void(std::string&)> drain)
        : out_(out), drain_at_(chunk), drain_(std::move(drain))
    {
    }
    void finish()
    {
        if (drain_ && !out_.empty()) drain_(out_);
    }

    // Starts a family. Its HELP and TYPE lines are written with its first sample, so a family that gets
    // no sample leaves no text at all.
    void family(const Family& f);
    // A family with one sample and no labels.
    template <typename T>
    void single(const Family& f, T value)
    {
        family(f);
        sample({}, value);
    }

    // One sample of the current family. `labels` and `more` are escaped label sets (either may be
    // empty); they are joined with a comma.
    void sample(std::string_view labels, double value) { sample(labels, {}, value); }
    void sample(std::string_view labels, std::string_view more, double value);
    template <std::integral T>
    void sample(std::string_view labels, T value)
    {
        sample(labels, {}, value);
    }
    template <std::integral T>
    void sample(std::string_view labels, std::string_view more, T value)
    {
        begin(labels, more);
        if constexpr (std::is_signed_v<T>)
            append_integer(static_cast<std::int64_t>(value));
        else
            append_integer(static_cast<std::uint64_t>(value));
        end_line();
    }
    // An absent value writes nothing (never a 0: a zero that was not measured is a lie on a graph).
    template <typename T>
    void sample(std::string_view labels, const std::optional<T>& value)
    {
        if (value) sample(labels, {}, *value);
    }
    template <typename T>
    void sample(std::string_view labels, std::string_view more, const std::optional<T>& value)
    {
        if (value) sample(labels, more, *value);
    }

    // Whole lines of exposition text written elsewhere (the exporter's own instrumentation, serialized
    // by prometheus-cpp): appended as they are, `lines` ending in a newline.
    void text(std::string_view lines)
    {
        if (lines.empty()) return;
        out_ += lines;
        if (out_.size() >= drain_at_) drain_(out_);
    }

private:
    void begin(std::string_view labels, std::string_view more);
    void end_line()
    {
        out_ += '\n';
        if (out_.size() >= drain_at_) drain_(out_);
    }
    void append_integer(std::int64_t v);
    void append_integer(std::uint64_t v);
    void append_double(double v);

    std::string& out_;
    std::size_t drain_at_ = SIZE_MAX;  // never, without a drain
    std::function<void(std::string&)> drain_;
    Family current_{};
    bool head_written_ = true;  // nothing to write before the first family()
};

}  // namespace prom
