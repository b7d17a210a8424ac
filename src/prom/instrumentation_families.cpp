// The exporter's own instrumentation (instr/instruments.hpp): histograms and counters kept in a
// prometheus-cpp Registry, serialized by prometheus-cpp's TextSerializer and appended after every other
// family. Its family names are all distinct from those written by the other prom/*_families.cpp files
// (tests/prom/instrumentation_families_test.cpp checks the whole exposition for a name written twice).
//
// The Registry's text is small (a few dozen series: the histograms have one label set per handler,
// stats group or write API), so serializing it per scrape costs microseconds beside the domain families
// (bench/README.md, "Own instrumentation").
#include "instr/instruments.hpp"
#include "prom/families.hpp"

namespace prom {

void write_instrumentation_families(const Scrape& scrape, const DomainLabels&, TextWriter& out)
{
    if (!scrape.status.instrumentation) return;
    std::string text;
    instr::append_text(*scrape.status.instrumentation, text);
    out.text(text);
}

}  // namespace prom
