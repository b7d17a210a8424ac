#include "influx/spool.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/c_handle.hpp"
#include "util/file.hpp"

namespace influx {
namespace {

namespace fs = std::filesystem;

using File = util::CHandle<std::FILE, std::fclose>;
using Directory = util::CHandle<DIR, ::closedir>;

bool write_all(int fd, const std::string& data)
{
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::size_t count_lines(const std::string& text)
{
    std::size_t n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

}  // namespace

Spool::Spool(std::string dir, std::uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes)
{
    if (dir_.empty()) return;
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw std::runtime_error("push.spool_dir " + dir_ + ": cannot create: " + ec.message());
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace, ec);
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        const auto name = entry.path().filename().string();
        if (name.ends_with(".tmp")) {
            fs::remove(entry.path(), ec);  // a segment whose write never completed
            continue;
        }
        if (!name.ends_with(".lp")) continue;
        // Only names this spool wrote (digits, ".lp"): anything else in the directory is left alone.
        std::uint64_t id = 0;
        const std::string_view digits = std::string_view(name).substr(0, name.size() - 3);
        const auto [ptr, parse_error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
        if (digits.empty() || parse_error != std::errc() || ptr != digits.data() + digits.size()) continue;
        const std::string text = util::read_file(entry.path().string()).value_or(std::string());
        segments_[id] = Info{text.size(), count_lines(text)};
        bytes_ += text.size();
        next_id_ = std::max(next_id_, id + 1);
    }
    if (ec) throw std::runtime_error("push.spool_dir " + dir_ + ": cannot read: " + ec.message());
    if (!segments_.empty())
        util::log_info("push", "spool holds " + std::to_string(segments_.size()) + " segments (" +
                                   std::to_string(bytes_) + " bytes) to replay");
}

std::string Spool::path_of(std::uint64_t id) const
{
    char name[32];
    std::snprintf(name, sizeof name, "%020lu.lp", static_cast<unsigned long>(id));
    return dir_ + "/" + name;
}

bool Spool::store(const std::vector<std::string>& lines)
{
    if (!enabled() || lines.empty()) return false;
    std::string text;
    for (const auto& l : lines) {
        text += l;
        text += '\n';
    }
    std::lock_guard lock(mu_);
    if (bytes_ + text.size() > max_bytes_) return false;
    const std::uint64_t id = next_id_++;
    const std::string path = path_of(id);
    const std::string tmp = path + ".tmp";
    // Write, fsync, rename, fsync the directory: after a crash the segment is either whole or absent.
    // The FILE only owns the descriptor: the text goes to it unbuffered, so a full disk fails the write.
    // Lines name VMs: only the exporter's user may read them (0600, as in a directory that is 0700).
    bool ok = false;
    int error = 0;
    {
        const File file(std::fopen(tmp.c_str(), "we"));  // e: O_CLOEXEC
        ok = file && ::fchmod(::fileno(file.get()), 0600) == 0 && write_all(::fileno(file.get()), text) &&
             ::fsync(::fileno(file.get())) == 0;
        if (!ok) error = errno;
    }
    ok = ok && ::rename(tmp.c_str(), path.c_str()) == 0;
    if (ok) {
        const Directory dir(::opendir(dir_.c_str()));
        ok = dir && ::fsync(::dirfd(dir.get())) == 0;
    }
    if (!ok) {
        const std::string why = std::strerror(error != 0 ? error : errno);
        ::unlink(tmp.c_str());
        log_once_.log(util::LogLevel::error, "push", "spool", "cannot write spool segment in " + dir_ + ": " + why);
        return false;
    }
    log_once_.clear("spool");
    segments_[id] = Info{text.size(), lines.size()};
    bytes_ += text.size();
    return true;
}

std::optional<Spool::Segment> Spool::oldest()
{
    std::lock_guard lock(mu_);
    while (!segments_.empty()) {
        const auto [id, info] = *segments_.begin();
        if (const auto text = util::read_file(path_of(id))) {
            Segment seg{id, {}};
            for (std::size_t pos = 0; pos < text->size();) {
                const std::size_t end = std::min(text->find('\n', pos), text->size());
                if (end > pos) seg.lines.emplace_back(*text, pos, end - pos);
                pos = end + 1;
            }
            return seg;
        }
        util::log_error("push", "spool segment " + path_of(id) + " cannot be read; moved aside as .bad");
        std::rename(path_of(id).c_str(), (path_of(id) + ".bad").c_str());
        bytes_ -= info.bytes;
        segments_.erase(segments_.begin());
    }
    return std::nullopt;
}

void Spool::remove(std::uint64_t id)
{
    std::lock_guard lock(mu_);
    const auto it = segments_.find(id);
    if (it == segments_.end()) return;
    ::unlink(path_of(id).c_str());
    bytes_ -= it->second.bytes;
    segments_.erase(it);
}

std::uint64_t Spool::bytes() const
{
    std::lock_guard lock(mu_);
    return bytes_;
}

std::size_t Spool::segments() const
{
    std::lock_guard lock(mu_);
    return segments_.size();
}

std::size_t Spool::lines() const
{
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& [id, info] : segments_) n += info.lines;
    return n;
}

}  // namespace influx
