// Test support: the unit tests' way into a virt::Connection (connection.hpp names this struct a friend;
// only the tests define it). Through it a test drops the connection as a lost one is dropped, and counts
// the connect attempts, neither of which the exporter itself needs. Header-only; the virt tests may
// include src/virt's internal headers.
#pragma once

#include <cstdint>

#include "virt/connection.hpp"
#include "virt/connection_impl.hpp"

namespace virt {

struct ConnectionTestAccess {
    static Connection::Impl& impl(Connection& connection) noexcept { return *connection.impl_; }
    static const Connection::Impl& impl(const Connection& connection) noexcept { return *connection.impl_; }
};

}  // namespace virt

namespace test_support {

// Drops the current connection the way a closed one is dropped (libvirt's close callback), so the
// reconnect thread connects again at once; a no-op while not connected. generation() grows when the new
// connection is up.
inline void drop_connection(virt::Connection& connection)
{
    virt::ConnectionTestAccess::impl(connection).connection_lost(connection.generation(), "dropped by the test");
}

// Connect attempts so far, successful or not.
inline std::uint64_t connect_attempts(const virt::Connection& connection) noexcept
{
    return virt::ConnectionTestAccess::impl(connection).connect_attempts.load();
}

}  // namespace test_support
