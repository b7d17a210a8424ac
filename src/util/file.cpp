#include "util/file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/c_handle.hpp"

namespace util {

std::optional<std::string> read_file(const std::string& path, std::string* error)
{
    const auto fail = [error](int err) -> std::optional<std::string> {
        if (error) *error = std::strerror(err);
        return std::nullopt;
    };
    const CHandle<std::FILE, std::fclose> file(std::fopen(path.c_str(), "rbe"));  // e: O_CLOEXEC
    if (!file) return fail(errno);
    std::string data;
    char buf[16384];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, file.get())) > 0) data.append(buf, n);
    if (std::ferror(file.get())) return fail(errno);
    return data;
}

}  // namespace util
