// One line per event on stderr, logfmt-style: `level=warn subsystem=virt msg="..."`, or as one JSON
// object per line (log.format json: `{"level":"warn","subsystem":"virt","msg":"..."}`).
// journald adds the time, so no timestamp is written. Thread-safe: a line is written with one call; the
// level and format are atomics, set by main() at start and by the daemon on a reload.
// Nothing here throws.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/names.hpp"

namespace util {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

// The one table of level names: log lines print them, log.level (config) parses them.
inline constexpr Named<LogLevel> log_level_names[] = {
    {LogLevel::debug, "debug"}, {LogLevel::info, "info"},    {LogLevel::warn, "warn"},
    {LogLevel::error, "error"}, {LogLevel::warn, "warning"},  // an alias: parsed, never printed
};

// log.format: the shape of a line.
enum class LogFormat { logfmt, json };
inline constexpr Named<LogFormat> log_format_names[] = {{LogFormat::logfmt, "logfmt"}, {LogFormat::json, "json"}};

void set_log_level(LogLevel level) noexcept;
void set_log_format(LogFormat format) noexcept;
LogLevel log_level() noexcept;

void log(LogLevel level, std::string_view subsystem, std::string_view message) noexcept;
inline void log_debug(std::string_view s, std::string_view m) noexcept
{
    log(LogLevel::debug, s, m);
}
inline void log_info(std::string_view s, std::string_view m) noexcept
{
    log(LogLevel::info, s, m);
}
inline void log_warn(std::string_view s, std::string_view m) noexcept
{
    log(LogLevel::warn, s, m);
}
inline void log_error(std::string_view s, std::string_view m) noexcept
{
    log(LogLevel::error, s, m);
}

// Formats one line without writing it (exposed for tests).
std::string format_log_line(LogLevel level, std::string_view subsystem, std::string_view message,
                            LogFormat format = LogFormat::logfmt);

// Logs a persistent condition once per distinct (key, message) and again only when the message for
// that key changes or the condition was cleared: a broken domain must not write a line per scrape.
class LogOnce {
public:
    // Returns true when the line was written.
    bool log(LogLevel level, std::string_view subsystem, const std::string& key, const std::string& message) noexcept;
    // The condition for `key` is over; the next log() for it writes again. Returns true if it was set.
    bool clear(const std::string& key) noexcept;
    // True when no condition is set: lets a hot path skip building a key to clear (no lock taken).
    bool empty() const noexcept { return size_.load(std::memory_order_acquire) == 0; }

private:
    std::mutex mu_;
    std::unordered_map<std::string, std::string> last_;
    std::atomic<std::size_t> size_{0};  // last_.size(), written under mu_
};

}  // namespace util
