// Fuzz target: collect::parse_domain_xml (src/collect/domain_xml.hpp), the parser of the XML libvirt
// returns for a domain (virDomainGetXMLDesc) — a guest owner controls parts of it (names, metadata).
//
// Input: the XML text, any bytes (tests/fixtures/xml/* are the seeds).
//
// Checks: the function is noexcept and must neither crash nor trip ASan/UBSan on hostile, truncated or
// entity-laden input; an error comes back as an XmlError with a message; parsing the same text twice
// gives the same result (no hidden state); a parse never yields more NICs or disks than the text has
// `interface` / `disk` element names (pugixml expands no entity into markup, so a hostile DTD cannot
// multiply devices).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "collect/domain_xml.hpp"

namespace {

void fail(const char* what)
{
    std::fprintf(stderr, "fuzz_domain_xml: %s\n", what);
    std::abort();
}

bool same(const collect::DomainXmlResult& a, const collect::DomainXmlResult& b)
{
    if (a.index() != b.index()) return false;
    if (const auto* da = std::get_if<collect::DomainDevices>(&a)) return *da == std::get<collect::DomainDevices>(b);
    return std::get<collect::XmlError>(a).message == std::get<collect::XmlError>(b).message;
}

std::size_t occurrences(std::string_view text, std::string_view word)
{
    std::size_t n = 0;
    for (auto pos = text.find(word); pos != std::string_view::npos; pos = text.find(word, pos + 1)) ++n;
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    const collect::DomainXmlResult first = collect::parse_domain_xml(xml);
    if (const auto* error = std::get_if<collect::XmlError>(&first))
        if (error->message.empty()) fail("an XmlError without a message");
    if (!same(first, collect::parse_domain_xml(xml))) fail("two parses of the same text differ");
    if (const auto* devices = std::get_if<collect::DomainDevices>(&first)) {
        if (devices->nics.size() > occurrences(xml, "interface")) fail("more NICs than <interface> elements");
        if (devices->disks.size() > occurrences(xml, "disk")) fail("more disks than <disk> elements");
    }
    return 0;
}
