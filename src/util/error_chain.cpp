#include "util/error_chain.hpp"

namespace util {

std::string error_chain(const std::exception& e)
{
    std::string out = e.what();
    try {
        std::rethrow_if_nested(e);
    } catch (const std::exception& inner) {
        out += ": ";
        out += error_chain(inner);
    } catch (...) {
        out += ": unknown error";
    }
    return out;
}

std::string current_error_chain() noexcept
{
    try {
        try {
            throw;
        } catch (const std::exception& e) {
            return error_chain(e);
        } catch (...) {
            return "unknown error";
        }
    } catch (...) {
        return "unknown error";
    }
}

}  // namespace util
