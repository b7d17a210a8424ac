// Formats an exception and everything nested in it (std::throw_with_nested) as one line:
// "outer: inner: innermost". Used where start-up errors are reported with their context.
#pragma once

#include <exception>
#include <string>

namespace util {

std::string error_chain(const std::exception& e);
// For catch (...): the message of the current exception, or "unknown error".
std::string current_error_chain() noexcept;

}  // namespace util
