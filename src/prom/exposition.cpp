#include "prom/exposition.hpp"

#include <algorithm>

#include "build_info.hpp"
#include "util/gzip.hpp"

namespace prom {
namespace {

// An upper estimate of the exposition's size, so the text is written into one allocation: an
// estimate too large costs address space only (pages never written stay out of RSS), one too small
// a copy of everything written so far.
std::size_t estimate_bytes(const collect::Snapshot* snapshot)
{
    std::size_t bytes = std::size_t{64} * 1024;  // the exporter's own families and every HELP/TYPE pair
    if (!snapshot) return bytes;
    for (const auto& d : snapshot->domains) {
        const std::size_t series = 32 + 4 * d.vcpus.size() + 10 * d.nics.size() + 14 * d.disks.size() + d.extra.size();
        bytes += series * (d.name.size() + d.uuid.size() + 128) + 512 * (d.nics.size() + d.disks.size());
    }
    return bytes;
}

// At least this much is reserved for a whole text: glibc serves a block above 32 MiB with mmap and
// unmaps it on free without raising its dynamic mmap threshold (whose ceiling is 32 MiB). A smaller
// block, once freed, raises the threshold, the next scrape's text then comes from the HTTP thread's
// malloc arena, which keeps it: RSS grew by a text's size per HTTP thread (98 → 130 MiB at 1000 domains).
constexpr std::size_t min_reserve = (32u << 20) + (64u << 10);

// Text handed over this many bytes at a time to the compressor.
constexpr std::size_t gzip_chunk = std::size_t{64} * 1024;

}  // namespace

void write_exposition(const Scrape& scrape, TextWriter& out)
{
    static const std::vector<collect::DomainSample> no_domains;
    const DomainLabels labels(scrape.snapshot ? scrape.snapshot->domains : no_domains);
    for (GroupWriter group : groups) group(scrape, labels, out);
    write_instrumentation_families(scrape, labels, out);
    out.finish();
}

std::string render_text(const Scrape& scrape)
{
    std::string text;
    text.reserve(std::max(estimate_bytes(scrape.snapshot.get()), min_reserve));
    TextWriter out(text);
    write_exposition(scrape, out);
    return text;
}

std::string render_gzip(const Scrape& scrape, int level)
{
    util::GzipEncoder gzip(level);
    std::string chunk;
    chunk.reserve(gzip_chunk + 4096);
    TextWriter out(chunk, gzip_chunk, [&gzip](std::string& text) {
        gzip.write(text);
        text.clear();
    });
    write_exposition(scrape, out);
    return gzip.finish();
}

Exposition::Exposition(collect::SnapshotStore& store, const collect::DeviceCache& cache, const util::Clock& clock,
                       std::chrono::milliseconds scrape_timeout)
    : store_(store), cache_(cache), clock_(clock), timeout_(scrape_timeout)
{
}

Scrape Exposition::scrape() const
{
    Scrape s;
    auto result = store_.get(timeout_);
    s.snapshot = std::move(result.snapshot);
    s.status.fresh = result.fresh;
    s.status.collections = store_.collections();
    s.status.cache = cache_.stats();
    s.status.version = VIRT_EXPORTER_VERSION;
    if (push_status_) s.status.push = push_status_();
    if (pools_) s.pools = pools_();
    if (guests_) s.guests = guests_();
    s.status.process = util::read_process_stats();
    s.status.instrumentation = instrumentation_;
    for (std::size_t i = 0; i < util::thread_roles.size(); ++i)
        s.status.internal_errors[i] = util::internal_errors(util::thread_roles[i]);
    if (s.snapshot)
        s.status.snapshot_age_seconds = std::chrono::duration<double>(clock_.wall() - s.snapshot->taken_at).count();
    return s;
}

// No per-snapshot cache of the text: the writer renders 1000 domains in a few milliseconds, and a
// cached copy beside each scrape's own text doubled the text's share of the peak RSS.
std::string Exposition::render() const
{
    return render_text(scrape());
}

std::string Exposition::render_gzip(int level) const
{
    return prom::render_gzip(scrape(), level);
}

}  // namespace prom
