#include "collect/pool_xml.hpp"

#include <algorithm>
#include <cctype>

#include <pugixml.hpp>

#include "collect/untrusted_xml.hpp"
#include "util/text.hpp"

namespace collect {
namespace {

bool type_name(std::string_view s)
{
    return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::islower(c) || std::isdigit(c) || c == '-' || c == '_';
    });
}

// 36 characters of hex digits and dashes, as libvirt formats a UUID.
bool uuid_form(std::string_view s)
{
    return s.size() == 36 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) || c == '-'; });
}

PoolXmlResult parse(std::string_view xml)
{
    if (xml.size() > max_pool_xml_bytes)
        return XmlError{"pool XML: " + std::to_string(xml.size()) + " bytes, more than a pool definition has"};
    pugi::xml_document doc;
    if (auto error = load_untrusted_xml(doc, xml, "pool XML")) return XmlError{std::move(*error)};
    const pugi::xml_node pool = doc.child("pool");
    if (!pool) return XmlError{"pool XML: no <pool> root element"};
    PoolDefinition d;
    d.type = pool.attribute("type").value();
    if (!type_name(d.type)) return XmlError{"pool XML: no usable type attribute"};
    d.uuid = std::string(util::trim(pool.child("uuid").text().get()));
    if (!uuid_form(d.uuid)) return XmlError{"pool XML: no usable <uuid>"};
    std::transform(d.uuid.begin(), d.uuid.end(), d.uuid.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    d.target_path = std::string(util::trim(pool.child("target").child("path").text().get()));
    if (d.target_path.size() > max_pool_value_bytes) return XmlError{"pool XML: target path longer than PATH_MAX"};
    return d;
}

}  // namespace

PoolXmlResult parse_pool_xml(std::string_view xml) noexcept
{
    try {
        return parse(xml);
    } catch (...) {  // std::bad_alloc only
        return XmlError{"pool XML: out of memory"};
    }
}

}  // namespace collect
