#include "virt/live_connection.hpp"

#include <libvirt/virterror.h>

#include <array>
#include <utility>

#include "util/internal_errors.hpp"
#include "util/log.hpp"
#include "virt/helper_connections.hpp"
#include "virt/libvirt_error.hpp"
#include "virt/stats_call.hpp"

namespace virt::detail {

// A callback's opaque pointer. For domain events libvirt deletes it through free_box when the callback
// is deregistered, so the relay outlives every callback that can still run.
struct CallbackBox {
    std::shared_ptr<CallbackRelay> relay;
    std::uint64_t generation;
};

namespace {

void free_box(void* opaque) noexcept
{
    delete static_cast<CallbackBox*>(opaque);
}

// libvirt calls these on the event-loop thread; nothing may escape into C.
void forward(virDomainPtr dom, void* opaque, DomainEventKind kind) noexcept
{
    try {
        const auto uuid = uuid_of(dom);
        if (!uuid.empty()) static_cast<CallbackBox*>(opaque)->relay->domain_event(uuid, kind);
    } catch (...) {
        util::count_internal_error(util::ThreadRole::libvirt_events, std::current_exception());
    }
}

int on_lifecycle(virConnectPtr, virDomainPtr dom, int, int, void* opaque) noexcept
{
    forward(dom, opaque, DomainEventKind::lifecycle);
    return 0;
}
void on_device_added(virConnectPtr, virDomainPtr dom, const char*, void* opaque) noexcept
{
    forward(dom, opaque, DomainEventKind::device_added);
}
void on_device_removed(virConnectPtr, virDomainPtr dom, const char*, void* opaque) noexcept
{
    forward(dom, opaque, DomainEventKind::device_removed);
}
void on_metadata_change(virConnectPtr, virDomainPtr dom, int, const char*, void* opaque) noexcept
{
    forward(dom, opaque, DomainEventKind::metadata_changed);
}

const char* close_reason(int reason) noexcept
{
    switch (reason) {
    case VIR_CONNECT_CLOSE_REASON_ERROR: return "I/O error";
    case VIR_CONNECT_CLOSE_REASON_EOF: return "end of file from the daemon";
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE: return "keepalive timeout";
    case VIR_CONNECT_CLOSE_REASON_CLIENT: return "closed by the client";
    default: return "unknown reason";
    }
}

void on_close(virConnectPtr, int reason, void* opaque) noexcept
{
    try {
        const auto* box = static_cast<CallbackBox*>(opaque);
        box->relay->connection_closed(box->generation, close_reason(reason));
    } catch (...) {
        util::count_internal_error(util::ThreadRole::libvirt_events, std::current_exception());
    }
}

// Event callbacks have per-event signatures; libvirt takes them as the generic type. Going through
// void(*)() is the sanctioned way to convert one function pointer type into another.
template <typename Fn>
virConnectDomainEventGenericCallback generic(Fn fn) noexcept
{
    return reinterpret_cast<virConnectDomainEventGenericCallback>(reinterpret_cast<void (*)()>(fn));
}

struct EventSpec {
    int id;
    const char* name;
    virConnectDomainEventGenericCallback callback;
};

// A driver without a version (the test driver has one; some remote setups refuse) leaves it empty; that
// is no reason to refuse the connection. libvirt sets an error for a failed call: reset it, as nothing
// is reported.
LibvirtVersions read_versions(virConnectPtr conn) noexcept
{
    LibvirtVersions v;
    try {
        unsigned long n = 0;
        if (virConnectGetVersion(conn, &n) == 0 && n != 0) v.hypervisor = format_libvirt_version(n);
        n = 0;
        if (virConnectGetLibVersion(conn, &n) == 0 && n != 0) v.daemon = format_libvirt_version(n);
        n = 0;
        if (virGetVersion(&n, nullptr, nullptr) == 0 && n != 0) v.library = format_libvirt_version(n);
    } catch (...) {
        // std::bad_alloc only: the versions stay as far as they got.
    }
    virResetLastError();
    return v;
}

}  // namespace

ConnectPtr open_connection(const ConnectionOptions& options)
{
    init_libvirt();
    ConnectPtr conn(options.read_only ? virConnectOpenReadOnly(options.uri.c_str())
                                      : virConnectOpenAuth(options.uri.c_str(), virConnectAuthPtrDefault, 0));
    if (!conn) throw_last_error(options.read_only ? "virConnectOpenReadOnly" : "virConnectOpenAuth", options.uri);
    return conn;
}

void CallbackRelay::attach(Connection::EventHandler on_event, CloseHandler on_close)
{
    std::lock_guard lock(mu_);
    on_event_ = std::move(on_event);
    on_close_ = std::move(on_close);
}

void CallbackRelay::detach()
{
    std::lock_guard lock(mu_);
    on_event_ = nullptr;
    on_close_ = nullptr;
}

void CallbackRelay::domain_event(const std::string& uuid, DomainEventKind kind)
{
    std::lock_guard lock(mu_);
    if (on_event_) on_event_(uuid, kind);
}

void CallbackRelay::connection_closed(std::uint64_t generation, const std::string& reason)
{
    std::lock_guard lock(mu_);
    if (on_close_) on_close_(generation, reason);
}

LiveConnection::LiveConnection(const ConnectionOptions& options, std::uint64_t generation,
                               std::shared_ptr<CallbackRelay> relay)
    : generation_(generation),
      relay_(std::move(relay)),
      helpers_(std::make_unique<HelperPool>(options, options.parallel > 1 ? options.parallel - 1 : 0))
{
    conn_ = open_connection(options);
    versions_ = read_versions(conn_.get());
    register_callbacks();
}

LiveConnection::~LiveConnection()
{
    deregister_callbacks();
    {
        std::lock_guard lock(domains_mu_);
        domains_.clear();  // the handles hold references on the connection
    }
    helpers_.reset();
    conn_.reset();
}

void LiveConnection::register_callbacks()
{
    auto box = std::make_unique<CallbackBox>(CallbackBox{relay_, generation_});
    if (virConnectRegisterCloseCallback(conn_.get(), on_close, box.get(), nullptr) == 0) {
        close_box_ = std::move(box);
    } else {
        const auto e = last_error("virConnectRegisterCloseCallback");
        if (e.kind() != ErrorKind::unsupported) util::log_warn("virt", e.what());
    }

    const std::array<EventSpec, 4> events{{
        {VIR_DOMAIN_EVENT_ID_LIFECYCLE, "lifecycle", generic(on_lifecycle)},
        {VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, "device-added", generic(on_device_added)},
        {VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, "device-removed", generic(on_device_removed)},
        {VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, "metadata-change", generic(on_metadata_change)},
    }};
    for (const auto& spec : events) {
        auto event_box = std::make_unique<CallbackBox>(CallbackBox{relay_, generation_});
        const int id =
            virConnectDomainEventRegisterAny(conn_.get(), nullptr, spec.id, spec.callback, event_box.get(), free_box);
        if (id >= 0) {
            static_cast<void>(event_box.release());  // libvirt owns the box now; free_box deletes it
            event_callback_ids_.push_back(id);
            continue;
        }
        // Without events the device cache still refreshes by its TTL: worth a line, not a failure.
        const auto e = last_error("virConnectDomainEventRegisterAny", spec.name);
        util::log(e.kind() == ErrorKind::unsupported ? util::LogLevel::info : util::LogLevel::warn, "virt", e.what());
    }
}

void LiveConnection::deregister_callbacks() noexcept
{
    // Errors are expected here when the daemon is gone; the callbacks die with the connection then.
    for (int id : event_callback_ids_) virConnectDomainEventDeregisterAny(conn_.get(), id);
    event_callback_ids_.clear();
    // Fails harmlessly when the callback already ran (libvirt drops it after calling it).
    if (close_box_) virConnectUnregisterCloseCallback(conn_.get(), on_close);
    close_box_.reset();
}

void LiveConnection::remember_domains(std::unordered_map<std::string, SharedDomain> domains)
{
    std::unique_lock lock(domains_mu_);
    domains_.swap(domains);
    lock.unlock();
    // The replaced handles are released here, outside the lock (a call in flight may still hold one).
}

SharedDomain LiveConnection::domain(const DomainRef& ref)
{
    {
        std::lock_guard lock(domains_mu_);
        if (auto it = domains_.find(ref.uuid); it != domains_.end()) return it->second;
    }
    SharedDomain found(DomainPtr(virDomainLookupByUUIDString(conn_.get(), ref.uuid.c_str())));
    if (!found) throw_last_error("virDomainLookupByUUIDString", ref.name.empty() ? ref.uuid : ref.name);
    std::lock_guard lock(domains_mu_);
    return domains_.try_emplace(ref.uuid, std::move(found)).first->second;
}

}  // namespace virt::detail
