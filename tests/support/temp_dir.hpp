// Test support: a fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in it
// when the TempDir goes. The one way the tests, fuzz targets and tools make temporary files.
// Throws std::runtime_error when the directory cannot be made or a file cannot be written.
#pragma once

#include <filesystem>
#include <string>

namespace test_support {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    // The directory itself.
    const std::filesystem::path& root() const noexcept { return root_; }
    // The path of `name` inside it ("" gives the directory with a trailing slash).
    std::string path(const std::string& name) const;
    // Writes `text` to `name` (replacing it as an operator's tooling would: a reader never sees half a
    // file) and returns its path.
    std::string write(const std::string& name, const std::string& text) const;

private:
    std::filesystem::path root_;
};

}  // namespace test_support
