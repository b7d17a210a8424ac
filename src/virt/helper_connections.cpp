#include "virt/helper_connections.hpp"

#include <utility>

#include "virt/libvirt_error.hpp"
#include "virt/live_connection.hpp"

namespace virt::detail {

// Opened like the main connection; its calls are part of a main-connection call, so the main connection's
// answer watch covers them.
HelperConnection::HelperConnection(const ConnectionOptions& options) : conn_(open_connection(options)) {}

std::vector<DomainPtr> HelperConnection::domains(const std::vector<std::string>& uuids)
{
    std::unordered_map<std::string, DomainPtr> kept;
    {
        std::lock_guard lock(mu_);
        kept.swap(handles_);
    }
    std::vector<DomainPtr> out;
    out.reserve(uuids.size());
    std::unordered_map<std::string, DomainPtr> now;
    now.reserve(uuids.size());
    for (const auto& uuid : uuids) {
        DomainPtr handle;
        if (auto it = kept.find(uuid); it != kept.end()) {
            handle = std::move(it->second);
        } else {
            handle.reset(virDomainLookupByUUIDString(conn_.get(), uuid.c_str()));
            if (!handle) {
                const auto e = last_error("virDomainLookupByUUIDString", uuid);
                if (e.kind() == ErrorKind::no_domain) continue;  // gone since the listing
                throw e;
            }
        }
        if (auto own = ref_domain(handle.get())) out.push_back(std::move(own));
        now.emplace(uuid, std::move(handle));
    }
    std::lock_guard lock(mu_);
    handles_.swap(now);  // what a concurrent call kept is dropped with `now`: its lookups were redundant
    return out;
}

HelperPool::HelperPool(const ConnectionOptions& options, unsigned count)
    : options_(std::make_unique<ConnectionOptions>(options)), slots_(count)
{
}

HelperPool::~HelperPool() = default;

std::shared_ptr<HelperConnection> HelperPool::get(unsigned i)
{
    {
        std::lock_guard lock(mu_);
        if (slots_.at(i)) return slots_[i];
    }
    // Opened outside the lock: a remote connect takes a while, and other helpers need not wait for it.
    auto fresh = std::make_shared<HelperConnection>(*options_);
    std::lock_guard lock(mu_);
    if (!slots_[i]) slots_[i] = std::move(fresh);
    return slots_[i];
}

void HelperPool::drop(unsigned i, const std::shared_ptr<HelperConnection>& failed) noexcept
{
    std::shared_ptr<HelperConnection> old;
    {
        std::lock_guard lock(mu_);
        if (i < slots_.size() && slots_[i] == failed) old = std::move(slots_[i]);
    }
    // `old` closes here, outside the lock (unless a call in flight still holds it).
}

}  // namespace virt::detail
