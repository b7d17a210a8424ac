#include "collect/untrusted_xml.hpp"

namespace collect {

std::optional<std::string> load_untrusted_xml(pugi::xml_document& doc, std::string_view xml, std::string_view what)
{
    const unsigned options = pugi::parse_default & ~pugi::parse_doctype;
    const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), options, pugi::encoding_utf8);
    if (parsed) return std::nullopt;
    return std::string(what) + ": " + parsed.description() + " at offset " + std::to_string(parsed.offset);
}

}  // namespace collect
