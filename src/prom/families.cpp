#include "prom/families.hpp"

namespace prom {

Families build_families(const Scrape& scrape)
{
    Families out;
    out.reserve(96);
    for (GroupBuilder group : groups) group(scrape, out);
    std::erase_if(out, [](const prometheus::MetricFamily& f) { return f.metric.empty(); });
    return out;
}

}  // namespace prom
