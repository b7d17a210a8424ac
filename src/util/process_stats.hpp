// The exporter's own resource use, as Prometheus' process collector reports it (process_* families), so
// that leaks of threads, file descriptors or memory show on a dashboard and in the soak test.
//
// parse_proc_stat is pure (tested on fixture text); read_process_stats reads /proc/self and never
// throws. Linux only: elsewhere read_process_stats returns nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace util {

struct ProcessStats {
    double cpu_seconds = 0;           // user + system
    double start_time_unix = 0;       // seconds since the epoch
    std::uint64_t virtual_bytes = 0;  // vsize
    std::uint64_t resident_bytes = 0;
    std::uint64_t threads = 0;
    std::uint64_t open_fds = 0;  // filled by read_process_stats only
    std::uint64_t max_fds = 0;   // RLIMIT_NOFILE soft limit; filled by read_process_stats only
};

// From the text of /proc/PID/stat: the command name (field 2) may hold spaces and parentheses, so the
// fields are counted from its last ')'. Nullopt when the text does not have the fields.
std::optional<ProcessStats> parse_proc_stat(std::string_view stat, long ticks_per_second, long page_size,
                                            double boot_time_unix) noexcept;

// `btime` of /proc/stat (boot time, seconds since the epoch); nullopt when absent.
std::optional<double> parse_boot_time(std::string_view proc_stat) noexcept;

// This process, now: /proc/self/stat, /proc/stat, /proc/self/fd and getrlimit.
std::optional<ProcessStats> read_process_stats() noexcept;

}  // namespace util
