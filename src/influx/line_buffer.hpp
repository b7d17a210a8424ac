// The bounded in-memory queue of encoded lines between the push loop's collector and its sender.
// When full, the oldest lines are pushed out (the caller spools or drops them and counts them).
//
// Thread-safety: none of its own; the Pusher guards it with its mutex. Throws only std::bad_alloc.
#pragma once

#include <chrono>
#include <deque>
#include <string>
#include <vector>

namespace influx {

class LineBuffer {
public:
    explicit LineBuffer(std::size_t max_lines) : max_lines_(max_lines) {}

    // Appends `lines` (oldest first). Returns the lines that no longer fit, oldest first.
    std::vector<std::string> push(std::vector<std::string> lines, std::chrono::steady_clock::time_point now);
    // Removes and returns up to `n` of the oldest lines.
    std::vector<std::string> take(std::size_t n);

    std::size_t size() const noexcept { return lines_.size(); }
    bool empty() const noexcept { return lines_.empty(); }
    // When the oldest line still queued arrived (meaningless when empty).
    std::chrono::steady_clock::time_point oldest_at() const noexcept { return oldest_at_; }

private:
    std::size_t max_lines_;
    std::deque<std::string> lines_;
    std::chrono::steady_clock::time_point oldest_at_{};
};

}  // namespace influx
