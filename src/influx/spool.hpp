// The durable spool: batches that could not be delivered, as fsynced segment files in push.spool_dir,
// replayed oldest first (also after a restart). Bounded by push.spool_max_bytes.
//
// Ownership: owns the directory's *.lp segment files. Thread-safety: all methods may be called from the
// push loop's threads concurrently. Throws: the constructor throws std::runtime_error naming the
// directory when it cannot be created or read; the other methods report failure by return value.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "util/log.hpp"

namespace influx {

class Spool {
public:
    struct Segment {
        std::uint64_t id = 0;
        std::vector<std::string> lines;
    };

    // An empty `dir` gives a disabled spool: nothing is stored, nothing is replayed.
    Spool(std::string dir, std::uint64_t max_bytes);

    bool enabled() const noexcept { return !dir_.empty(); }
    // Writes `lines` as one segment, durably (file and directory fsynced) before returning true. False
    // when disabled, when the segment would exceed max_bytes, or on an I/O error (logged once).
    bool store(const std::vector<std::string>& lines);
    // The oldest segment, read from disk; nullopt when there is none (or it cannot be read: then it is
    // moved aside as *.bad and logged, so one damaged file does not stop the replay).
    std::optional<Segment> oldest();
    // Deletes a segment once it was delivered (or rejected by the server).
    void remove(std::uint64_t id);

    std::uint64_t bytes() const;
    std::size_t segments() const;
    std::size_t lines() const;

private:
    std::string path_of(std::uint64_t id) const;

    const std::string dir_;
    const std::uint64_t max_bytes_;
    mutable std::mutex mu_;
    struct Info {
        std::uint64_t bytes = 0;
        std::size_t lines = 0;
    };
    std::map<std::uint64_t, Info> segments_;  // id → size; ordered, so begin() is the oldest
    std::uint64_t bytes_ = 0;
    std::uint64_t next_id_ = 1;
    util::LogOnce log_once_;
};

}  // namespace influx
