#include "util/log.hpp"

#include "util/json_writer.hpp"

#include <atomic>
#include <cstdio>

namespace util {
namespace {

std::atomic<LogLevel> g_level{LogLevel::info};
std::atomic<LogFormat> g_format{LogFormat::logfmt};

std::string_view level_name(LogLevel level) noexcept
{
    return name_of<LogLevel>(log_level_names, level);
}

}  // namespace

void set_log_level(LogLevel level) noexcept
{
    g_level = level;
}
void set_log_format(LogFormat format) noexcept
{
    g_format = format;
}
LogLevel log_level() noexcept
{
    return g_level;
}

std::string format_log_line(LogLevel level, std::string_view subsystem, std::string_view message, LogFormat format)
{
    if (format == LogFormat::json) {
        std::string line = "{\"level\":";
        append_json_string(line, level_name(level));
        line += ",\"subsystem\":";
        append_json_string(line, subsystem);
        line += ",\"msg\":";
        append_json_string(line, message);
        line += "}\n";
        return line;
    }
    std::string line = "level=";
    line += level_name(level);
    line += " subsystem=";
    line += subsystem;
    line += " msg=";
    // A message may carry anything (libvirt errors quote domain names): keep the line one line.
    append_json_string(line, message);
    line += '\n';
    return line;
}

void log(LogLevel level, std::string_view subsystem, std::string_view message) noexcept
{
    if (level < g_level.load()) return;
    try {
        const std::string line = format_log_line(level, subsystem, message, g_format.load());
        std::fwrite(line.data(), 1, line.size(), stderr);
    } catch (...) {
        // Out of memory while logging: nothing sensible is left to do.
    }
}

bool LogOnce::log(LogLevel level, std::string_view subsystem, const std::string& key,
                  const std::string& message) noexcept
{
    try {
        {
            std::lock_guard lock(mu_);
            auto [it, inserted] = last_.try_emplace(key, message);
            if (!inserted) {
                if (it->second == message) return false;
                it->second = message;
            }
            size_.store(last_.size(), std::memory_order_release);
        }
        util::log(level, subsystem, message);
        return true;
    } catch (...) {
        return false;
    }
}

bool LogOnce::clear(const std::string& key) noexcept
{
    std::lock_guard lock(mu_);
    const bool erased = last_.erase(key) > 0;
    size_.store(last_.size(), std::memory_order_release);
    return erased;
}

}  // namespace util
