// Reading a whole file into memory: configuration and secret files, web config files, /proc files and
// the push spool's segments. Thread-safe; throws only std::bad_alloc (failures are return values).
#pragma once

#include <optional>
#include <string>

namespace util {

// The contents of the file at `path`, read to its end. Nullopt when it cannot be opened or read (a
// directory opens, then fails with EISDIR); `error`, when given, then holds the reason (strerror).
std::optional<std::string> read_file(const std::string& path, std::string* error = nullptr);

}  // namespace util
