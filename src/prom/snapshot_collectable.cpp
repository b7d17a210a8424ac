#include "prom/snapshot_collectable.hpp"

#include <sstream>

#include <prometheus/text_serializer.h>

#include "build_info.hpp"

namespace prom {

SnapshotCollectable::SnapshotCollectable(collect::SnapshotStore& store, const collect::DeviceCache& cache,
                                         const util::Clock& clock, std::chrono::milliseconds scrape_timeout)
    : store_(store), cache_(cache), clock_(clock), timeout_(scrape_timeout)
{
}

Scrape SnapshotCollectable::scrape() const
{
    Scrape s;
    auto result = store_.get(timeout_);
    s.snapshot = std::move(result.snapshot);
    s.status.fresh = result.fresh;
    s.status.collections = store_.collections();
    s.status.cache = cache_.stats();
    s.status.version = VIRT_EXPORTER_VERSION;
    if (push_status_) s.status.push = push_status_();
    s.status.process = util::read_process_stats();
    if (s.snapshot)
        s.status.snapshot_age_seconds = std::chrono::duration<double>(clock_.wall() - s.snapshot->taken_at).count();
    return s;
}

std::vector<prometheus::MetricFamily> SnapshotCollectable::Collect() const
{
    return build_families(scrape());
}

std::string SnapshotCollectable::render() const
{
    const Scrape s = scrape();
    std::shared_ptr<const std::string> middle;
    {
        std::lock_guard lock(render_mu_);
        if (!rendered_ || rendered_for_ != s.snapshot) {
            rendered_ = std::make_shared<const std::string>(render_text(build_families(s, snapshot_groups)));
            rendered_for_ = s.snapshot;
        }
        middle = rendered_;
    }
    std::string text = render_text(build_families(s, status_head_groups));
    text += *middle;
    text += render_text(build_families(s, status_tail_groups));
    return text;
}

std::string render_text(const Families& families)
{
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, families);
    return std::move(out).str();
}

}  // namespace prom
