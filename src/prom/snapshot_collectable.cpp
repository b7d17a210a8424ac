#include "prom/snapshot_collectable.hpp"

#include "build_info.hpp"

namespace prom {
namespace {

// An upper estimate of the exposition's size, so the text is written into one allocation: an
// estimate too large costs address space only (pages never written stay out of RSS), one too small
// a copy of everything written so far.
std::size_t estimate_bytes(const collect::Snapshot* snapshot)
{
    std::size_t bytes = 64 * 1024;  // the exporter's own families and every HELP/TYPE pair
    if (!snapshot) return bytes;
    for (const auto& d : snapshot->domains) {
        const std::size_t series = 32 + 4 * d.vcpus.size() + 10 * d.nics.size() + 14 * d.disks.size() + d.extra.size();
        bytes += series * (d.name.size() + d.uuid.size() + 128) + 512 * (d.nics.size() + d.disks.size());
    }
    return bytes;
}

}  // namespace

std::string render_text(const Scrape& scrape)
{
    static const std::vector<collect::DomainSample> no_domains;
    const DomainLabels labels(scrape.snapshot ? scrape.snapshot->domains : no_domains);
    std::string text;
    text.reserve(estimate_bytes(scrape.snapshot.get()));
    TextWriter out(text);
    for (GroupWriter group : groups) group(scrape, labels, out);
    return text;
}

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

std::string SnapshotCollectable::render() const
{
    // No per-snapshot cache of the text: the writer renders 1000 domains in a few milliseconds, and a
    // cached copy beside each scrape's own text doubled the text's share of the peak RSS.
    return render_text(scrape());
}

}  // namespace prom
