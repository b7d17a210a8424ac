#include "support/temp_dir.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace test_support {

TempDir::TempDir()
{
    std::string tmpl = (std::filesystem::temp_directory_path() / "virt-exporter-test.XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp " + tmpl + ": " + std::strerror(errno));
    root_ = tmpl;
}

TempDir::~TempDir()
{
    std::error_code ignored;  // a test that failed half way may leave anything; never throw from here
    std::filesystem::remove_all(root_, ignored);
}

std::string TempDir::path(const std::string& name) const
{
    return (root_ / name).string();
}

std::string TempDir::write(const std::string& name, const std::string& text) const
{
    const auto target = root_ / name;
    const auto tmp = root_ / (name + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
        if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
    }
    std::filesystem::rename(tmp, target);
    return target.string();
}

}  // namespace test_support
