// Loading an XML document libvirt handed us (a domain's or a storage pool's definition), which is
// untrusted: no DTD processing, so an entity bomb stays inert text. Shared by the pure parsers
// (domain_xml.cpp, pool_xml.cpp). Thread-safe; throws only std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace collect {

// Loads `xml` into `doc`; nullopt when it parsed, else the message "<what>: <pugixml's reason> at offset N".
// Whitespace-only text nodes are dropped; values keep their bytes as libvirt wrote them.
std::optional<std::string> load_untrusted_xml(pugi::xml_document& doc, std::string_view xml, std::string_view what);

}  // namespace collect
