// How long a text std::regex may be given here. libstdc++ matches by recursion, a frame or more per
// character: a domain name of some 50,000 characters overflows an 8 MiB thread stack (a crash, not an
// exception), with the default VMID pattern as with any filter. A QEMU domain's name is a file name in
// libvirt's state directories (at most 255 bytes), so a longer one is nobody's real guest: the callers
// treat it as matched by no pattern.
#pragma once

#include <cstddef>
#include <string_view>

namespace collect {

inline constexpr std::size_t max_regex_input = 4096;

inline bool fits_regex(std::string_view text) noexcept
{
    return text.size() <= max_regex_input;
}

}  // namespace collect
