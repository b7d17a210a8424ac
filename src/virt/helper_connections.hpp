// The extra connections of a split collection (libvirt.parallel > 1): helper i (1 .. parallel-1)
// collects one share of the domains with virDomainListGetStats, which takes handles of its own
// connection. Private to src/virt.
//
// Ownership: a LiveConnection owns its HelperPool, so helpers close with the connection they belong to
// and a reconnect starts with fresh ones (opened lazily, on the first split collection). A helper has
// no callbacks: events and the close callback stay on the main connection; a helper that fails is
// dropped and opened again on next use. Each HelperConnection owns its virConnectPtr and the domain
// handles it looked up (freed before the connection).
//
// Thread-safety: all members may be used from several threads at once (two collections can overlap
// when one hangs); a caller keeps the helper it got alive through its shared_ptr while another drops it.
// Throws virt::Error when a helper cannot be opened or a lookup fails for a reason other than a
// vanished domain.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "virt/handles.hpp"

namespace virt {
struct ConnectionOptions;  // connection.hpp
}

namespace virt::detail {

class HelperConnection {
public:
    explicit HelperConnection(const ConnectionOptions& options);  // opens it read-only/auth as the main one
    HelperConnection(const HelperConnection&) = delete;
    HelperConnection& operator=(const HelperConnection&) = delete;

    virConnectPtr get() const noexcept { return conn_.get(); }

    // Handles on this connection for `uuids`, in their order; a domain that is gone is left out.
    // Handles of earlier calls are reused (a lookup costs a round trip) and only those asked for now
    // are kept. The returned handles are the caller's own references.
    std::vector<DomainPtr> domains(const std::vector<std::string>& uuids);

private:
    ConnectPtr conn_;  // declared first: destroyed after the handles that reference it
    std::mutex mu_;
    std::unordered_map<std::string, DomainPtr> handles_;
};

class HelperPool {
public:
    HelperPool(const ConnectionOptions& options, unsigned count);
    ~HelperPool();
    HelperPool(const HelperPool&) = delete;
    HelperPool& operator=(const HelperPool&) = delete;

    unsigned size() const noexcept { return static_cast<unsigned>(slots_.size()); }
    // Helper `i` (< size()), opened now when it is not open.
    std::shared_ptr<HelperConnection> get(unsigned i);
    // `failed` (helper `i`) is unusable: the next get(i) opens a new one. Closed once no call holds it.
    void drop(unsigned i, const std::shared_ptr<HelperConnection>& failed) noexcept;

private:
    std::unique_ptr<ConnectionOptions> options_;
    std::mutex mu_;
    std::vector<std::shared_ptr<HelperConnection>> slots_;
};

}  // namespace virt::detail
