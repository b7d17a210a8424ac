#include "util/process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <string>
#include <vector>

#include "util/file.hpp"

namespace util {
namespace {

template <typename T>
bool to_number(std::string_view text, T& out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::optional<ProcessStats> parse_proc_stat(std::string_view stat, long ticks_per_second, long page_size,
                                            double boot_time_unix) noexcept
{
    const auto close = stat.rfind(')');
    if (close == std::string_view::npos || ticks_per_second <= 0) return std::nullopt;
    // Fields after the name, numbered as in proc(5): the first one here (state) is field 3.
    std::vector<std::string_view> fields;
    std::string_view rest = stat.substr(close + 1);
    while (!rest.empty()) {
        const auto start = rest.find_first_not_of(" \n");
        if (start == std::string_view::npos) break;
        rest.remove_prefix(start);
        const auto end = std::min(rest.find_first_of(" \n"), rest.size());
        fields.push_back(rest.substr(0, end));
        rest.remove_prefix(end);
    }
    auto field = [&](std::size_t n) { return fields.size() > n - 3 ? fields[n - 3] : std::string_view{}; };
    std::uint64_t utime = 0, stime = 0, threads = 0, start = 0, vsize = 0;
    std::int64_t rss = 0;
    if (!to_number(field(14), utime) || !to_number(field(15), stime) || !to_number(field(20), threads) ||
        !to_number(field(22), start) || !to_number(field(23), vsize) || !to_number(field(24), rss))
        return std::nullopt;
    ProcessStats s;
    const double ticks = static_cast<double>(ticks_per_second);
    s.cpu_seconds = static_cast<double>(utime + stime) / ticks;
    s.start_time_unix = boot_time_unix + static_cast<double>(start) / ticks;
    s.virtual_bytes = vsize;
    s.resident_bytes = rss > 0 ? static_cast<std::uint64_t>(rss) * static_cast<std::uint64_t>(page_size) : 0;
    s.threads = threads;
    return s;
}

std::optional<double> parse_boot_time(std::string_view proc_stat) noexcept
{
    std::size_t pos = 0;
    while (pos < proc_stat.size()) {
        const auto end = std::min(proc_stat.find('\n', pos), proc_stat.size());
        const std::string_view line = proc_stat.substr(pos, end - pos);
        if (line.starts_with("btime ")) {
            double btime = 0;
            if (to_number(line.substr(6), btime)) return btime;
            return std::nullopt;
        }
        pos = end + 1;
    }
    return std::nullopt;
}

std::optional<ProcessStats> read_process_stats() noexcept
{
    try {
        const auto stat = read_file("/proc/self/stat");
        const auto system = read_file("/proc/stat");
        if (!stat || !system) return std::nullopt;
        const auto boot = parse_boot_time(*system);
        auto s = parse_proc_stat(*stat, sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE), boot.value_or(0));
        if (!s) return std::nullopt;
        std::error_code ec;
        // Counts the descriptor the iteration itself holds, as Prometheus' Go and Python collectors do.
        for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec))
            ++s->open_fds;
        rlimit limit{};
        if (getrlimit(RLIMIT_NOFILE, &limit) == 0) s->max_fds = limit.rlim_cur;
        return s;
    } catch (...) {
        return std::nullopt;  // allocation failure: no process metrics this scrape
    }
}

}  // namespace util
