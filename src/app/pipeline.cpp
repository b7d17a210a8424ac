#include "app/pipeline.hpp"

#include "instr/instruments.hpp"
#include "util/log.hpp"

namespace app {

virt::ConnectionOptions connection_options(const config::LibvirtConfig& l)
{
    return virt::ConnectionOptions{
        .uri = l.uri,
        .read_only = l.read_only,
        .nowait = l.nowait,
        .keepalive_interval = l.keepalive_interval,
        .keepalive_count = l.keepalive_count,
        .reconnect_backoff_min = l.reconnect_backoff_min,
        .reconnect_backoff_max = l.reconnect_backoff_max,
        .parallel = l.parallel,
    };
}

Pipeline::Pipeline(const config::Config& config, const util::Clock& clock, instr::Instruments* instruments)
{
    connection_ = std::make_unique<virt::Connection>(connection_options(config.libvirt), clock);
    connection_->set_instruments(instruments);
    cache_ = std::make_unique<collect::DeviceCache>(clock, config.libvirt.device_cache_ttl);

    // Domain events arrive on libvirt's event-loop thread: invalidating a cache entry is quick and
    // takes only the cache's own lock.
    connection_->set_event_handler([cache = cache_.get()](const std::string& uuid, virt::DomainEventKind kind) {
        util::log_debug("virt", "domain event " + std::string(virt::domain_event_kind_name(kind)) + " for " + uuid);
        cache->invalidate(uuid);
    });
    // A new connection may be to a restarted daemon whose domains changed while we were away.
    // Generation 1 is the first connection; every later one is a reconnect.
    connection_->set_connected_handler([cache = cache_.get(), instruments](std::uint64_t generation) {
        cache->clear();
        if (instruments && generation > 1) instruments->record_libvirt_reconnect();
    });

    collect::SamplerOptions sampler_options;
    sampler_options.groups = config.libvirt.stats_groups;
    sampler_options.budget = config.libvirt.timeout;
    sampler_options.parallel = config.libvirt.parallel;
    sampler_options.vmid = collect::VmidRule(config.push.vmid_regex.regex());
    for (const auto& p : config.libvirt.domains.include) sampler_options.filter.include.push_back(p.regex());
    for (const auto& p : config.libvirt.domains.exclude) sampler_options.filter.exclude.push_back(p.regex());
    sampler_options.filter.inactive = config.libvirt.inactive;
    sampler_options.instruments = instruments;
    sampler_ = std::make_unique<collect::Sampler>(*connection_, *cache_, clock, sampler_options);
    store_ = std::make_unique<collect::SnapshotStore>([s = sampler_.get()] { return s->collect(); }, clock,
                                                      config.web.max_snapshot_age,
                                                      collect::SnapshotStore::default_max_in_flight, instruments);
    if (config.libvirt.storage_pools)
        pools_ = std::make_unique<collect::PoolCollector>(
            *connection_, clock,
            collect::PoolCollectorOptions{.interval = config.libvirt.storage_pools_interval,
                                          .timeout = config.libvirt.timeout,
                                          .xml_ttl = config.libvirt.device_cache_ttl});
    if (config.libvirt.guest_agent.enabled) {
        // virDomainGetGuestInfo is refused on a read-only connection: a second one, read-write, for that
        // call (and its listing) alone, with its own keepalive watch and reconnects. No event handler.
        auto options = connection_options(config.libvirt);
        options.read_only = false;
        options.parallel = 1;
        agent_connection_ = std::make_unique<virt::Connection>(std::move(options), clock);
        agent_connection_->set_instruments(instruments);
        guests_ = std::make_unique<collect::GuestAgentCollector>(
            *agent_connection_, clock,
            collect::GuestAgentCollectorOptions{.interval = config.libvirt.guest_agent.interval,
                                                .filter = sampler_options.filter});
        util::log_info("virt", "libvirt.guest_agent.enabled: opening a second, read-write connection to " +
                                   config.libvirt.uri + " for virDomainGetGuestInfo (guest filesystems) only");
    }
}

Pipeline::~Pipeline()
{
    stop();
}

void Pipeline::start()
{
    connection_->start();
    if (pools_) pools_->start();
    if (agent_connection_) agent_connection_->start();
    if (guests_) guests_->start();
}

void Pipeline::stop() noexcept
{
    if (guests_) guests_->stop();
    if (agent_connection_) agent_connection_->stop();
    if (pools_) pools_->stop();
    if (store_) store_->stop();
    if (connection_) connection_->stop();
}

}  // namespace app
