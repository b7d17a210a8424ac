#include "prom/families.hpp"

namespace prom {
namespace {

void add_groups(const Scrape& scrape, std::span<const GroupBuilder> selected, Families& out)
{
    for (GroupBuilder group : selected) group(scrape, out);
}

void drop_empty(Families& out)
{
    std::erase_if(out, [](const prometheus::MetricFamily& f) { return f.metric.empty(); });
}

}  // namespace

Families build_families(const Scrape& scrape)
{
    Families out;
    out.reserve(96);
    add_groups(scrape, status_head_groups, out);
    add_groups(scrape, snapshot_groups, out);
    add_groups(scrape, status_tail_groups, out);
    drop_empty(out);
    return out;
}

Families build_families(const Scrape& scrape, std::span<const GroupBuilder> selected)
{
    Families out;
    add_groups(scrape, selected, out);
    drop_empty(out);
    return out;
}

}  // namespace prom
