#include "virt/libvirt_error.hpp"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <mutex>

namespace virt::detail {
namespace {

bool contains(std::string_view haystack, std::string_view needle) noexcept
{
    return haystack.find(needle) != std::string_view::npos;
}

void ignore_error(void*, virErrorPtr) noexcept {}

}  // namespace

ErrorKind classify_error(int code, int domain, std::string_view message) noexcept
{
    switch (code) {
    case VIR_ERR_NO_SUPPORT:
    case VIR_ERR_ARGUMENT_UNSUPPORTED:
    case VIR_ERR_OPERATION_UNSUPPORTED: return ErrorKind::unsupported;
    case VIR_ERR_INVALID_ARG:
        // virCheckFlags reports a flag the driver does not know (e.g. NOWAIT on an old daemon) this way.
        return contains(message, "unsupported flags") ? ErrorKind::unsupported : ErrorKind::other;
    case VIR_ERR_NO_DOMAIN: return ErrorKind::no_domain;
    case VIR_ERR_NO_CONNECT:
    case VIR_ERR_INVALID_CONN:
    case VIR_ERR_RPC: return ErrorKind::disconnected;
    case VIR_ERR_SYSTEM_ERROR:
        // A failed read/write on the daemon's socket; a system error inside a driver is not ours.
        return domain == VIR_FROM_RPC || domain == VIR_FROM_REMOTE ? ErrorKind::disconnected : ErrorKind::other;
    case VIR_ERR_INTERNAL_ERROR:
        // "client socket is closed", "connection closed due to keepalive timeout"
        return contains(message, "closed") ? ErrorKind::disconnected : ErrorKind::other;
    case VIR_ERR_OPERATION_TIMEOUT:
    case VIR_ERR_AGENT_UNRESPONSIVE: return ErrorKind::busy;
    default: return ErrorKind::other;
    }
}

Error last_error(std::string_view call, std::string_view subject)
{
    std::string what(call);
    if (!subject.empty()) {
        what += '(';
        what += subject;
        what += ')';
    }
    const virErrorPtr err = virGetLastError();
    if (!err) return Error(ErrorKind::other, what + ": failed without an error message");
    const std::string_view message = err->message ? err->message : "unknown libvirt error";
    const ErrorKind kind = classify_error(err->code, err->domain, message);
    what += ": ";
    what += message;
    return Error(kind, what);
}

void throw_last_error(std::string_view call, std::string_view subject)
{
    throw last_error(call, subject);
}

void init_libvirt()
{
    static std::once_flag once;
    std::call_once(once, [] {
        virInitialize();
        virSetErrorFunc(nullptr, ignore_error);
    });
}

}  // namespace virt::detail
