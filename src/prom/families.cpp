#include "prom/families.hpp"

namespace prom {

Families build_families(const Scrape& scrape)
{
    Families out;
    out.reserve(96);
    for (GroupBuilder group : groups) group(scrape, out);
    return out;
}

}  // namespace prom
