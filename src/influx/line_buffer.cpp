#include "influx/line_buffer.hpp"

namespace influx {

std::vector<std::string> LineBuffer::push(std::vector<std::string> lines, std::chrono::steady_clock::time_point now)
{
    if (lines_.empty()) oldest_at_ = now;
    for (auto& l : lines) lines_.push_back(std::move(l));
    std::vector<std::string> overflow;
    while (lines_.size() > max_lines_) {
        overflow.push_back(std::move(lines_.front()));
        lines_.pop_front();
    }
    // The age that decides "batch_max_sec after the first line was queued" restarts when the oldest
    // lines were pushed out: what remains arrived just now.
    if (!overflow.empty()) oldest_at_ = now;
    return overflow;
}

std::vector<std::string> LineBuffer::take(std::size_t n)
{
    std::vector<std::string> out;
    out.reserve(std::min(n, lines_.size()));
    while (!lines_.empty() && out.size() < n) {
        out.push_back(std::move(lines_.front()));
        lines_.pop_front();
    }
    return out;
}

}  // namespace influx
