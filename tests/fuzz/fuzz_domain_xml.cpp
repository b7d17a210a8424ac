// Fuzz target: collect::parse_domain_xml (src/collect/domain_xml.hpp), the parser of the XML libvirt
// returns for a domain (virDomainGetXMLDesc) — a guest owner controls parts of it (names, metadata).
//
// Input: the XML text, any bytes (tests/fixtures/xml/* are the seeds).
//
// Checks: the function is noexcept and must neither crash nor trip ASan/UBSan on hostile, truncated or
// entity-laden input; an error comes back as an XmlError with a message; parsing the same text twice
// gives the same result (no hidden state).
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    const collect::DomainXmlResult first = collect::parse_domain_xml(xml);
    if (const auto* error = std::get_if<collect::XmlError>(&first))
        if (error->message.empty()) fail("an XmlError without a message");
    if (!same(first, collect::parse_domain_xml(xml))) fail("two parses of the same text differ");
    return 0;
}
