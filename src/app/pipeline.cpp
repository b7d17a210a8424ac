#include "app/pipeline.hpp"

#include <regex>

#include "util/log.hpp"

namespace app {

unsigned stats_group_mask(const std::vector<std::string>& names)
{
    unsigned mask = 0;
    for (const auto& n : names) {
        const unsigned bit = virt::stats_group_from_name(n);
        if (bit == 0) throw config::ConfigError("libvirt.stats_groups: unknown group \"" + n + "\"");
        mask |= bit;
    }
    return mask;
}

Pipeline::Pipeline(const config::Config& config, const util::Clock& clock)
{
    virt::ConnectionOptions options;
    options.uri = config.libvirt.uri;
    options.read_only = config.libvirt.read_only;
    options.nowait = config.libvirt.nowait;
    options.parallel = config.libvirt.parallel;
    options.keepalive_interval = config.libvirt.keepalive_interval;
    options.keepalive_count = config.libvirt.keepalive_count;
    options.reconnect_backoff_min = config.libvirt.reconnect_backoff_min;
    options.reconnect_backoff_max = config.libvirt.reconnect_backoff_max;
    connection_ = std::make_unique<virt::Connection>(options, clock);
    cache_ = std::make_unique<collect::DeviceCache>(clock, config.libvirt.device_cache_ttl);

    // Domain events arrive on libvirt's event-loop thread: invalidating a cache entry is quick and
    // takes only the cache's own lock.
    connection_->set_event_handler([cache = cache_.get()](const std::string& uuid, virt::DomainEventKind kind) {
        util::log_debug("virt", "domain event " + std::string(virt::domain_event_kind_name(kind)) + " for " + uuid);
        cache->invalidate(uuid);
    });
    // A new connection may be to a restarted daemon whose domains changed while we were away.
    connection_->set_connected_handler([cache = cache_.get()](std::uint64_t) { cache->clear(); });

    collect::SamplerOptions sampler_options;
    sampler_options.groups = stats_group_mask(config.libvirt.stats_groups);
    sampler_options.budget = config.libvirt.timeout;
    sampler_options.parallel = config.libvirt.parallel;
    try {
        sampler_options.vmid = collect::VmidRule(config.push.vmid_regex);
    } catch (const std::regex_error& e) {
        throw config::ConfigError(std::string("push.vmid_regex: invalid regular expression: ") + e.what());
    }
    sampler_ = std::make_unique<collect::Sampler>(*connection_, *cache_, clock, sampler_options);
    store_ = std::make_unique<collect::SnapshotStore>([s = sampler_.get()] { return s->collect(); }, clock,
                                                      config.web.max_snapshot_age);
}

Pipeline::~Pipeline()
{
    stop();
}

void Pipeline::start()
{
    connection_->start();
}

void Pipeline::stop() noexcept
{
    if (store_) store_->stop();
    if (connection_) connection_->stop();
}

}  // namespace app
