// libvirt's thread-local "last error" turned into virt::Error with an ErrorKind callers can act on
// (remember an unsupported call, skip a vanished domain, reconnect). Private to src/virt.
//
// Thread-safety: libvirt keeps the last error per thread, so these read the calling thread's error
// and must be called right after the failing libvirt call, on the same thread.
#pragma once

#include <string>
#include <string_view>

#include "virt/domain_source.hpp"

namespace virt::detail {

// Pure classification of a libvirt error code/domain/message (exposed for tests):
//   VIR_ERR_NO_SUPPORT, VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_ERR_OPERATION_UNSUPPORTED and
//   VIR_ERR_INVALID_ARG "unsupported flags"                       → unsupported
//   VIR_ERR_NO_DOMAIN                                              → no_domain
//   VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN, VIR_ERR_RPC, VIR_ERR_SYSTEM_ERROR from the RPC or
//   remote layer, VIR_ERR_INTERNAL_ERROR about a closed connection → disconnected
//   VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_AGENT_UNRESPONSIVE          → busy
//   anything else                                                  → other
ErrorKind classify_error(int code, int domain, std::string_view message) noexcept;

// An Error for the calling thread's last libvirt error; the message names the call and what it was
// about, e.g. "virDomainInterfaceStats(web-frontend-01, vnet0): <libvirt's message>".
Error last_error(std::string_view call, std::string_view subject = {});
[[noreturn]] void throw_last_error(std::string_view call, std::string_view subject = {});

// virInitialize plus a no-op error handler, once per process: libvirt otherwise prints every error
// to stderr itself, which would bypass our log-once rules. Thread-safe; cheap after the first call.
void init_libvirt();

}  // namespace virt::detail
