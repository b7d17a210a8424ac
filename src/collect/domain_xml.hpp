// Pure parsing of a libvirt domain XML document (virDomainGetXMLDesc) into DomainDevices.
// No I/O, no libvirt. Thread-safe (no shared state). Never throws and never crashes on hostile or
// truncated input: errors come back as a value.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "collect/domain_devices.hpp"

namespace collect {

struct XmlError {
    std::string message;  // e.g. "domain XML: Error parsing end tag at offset 123"
};

using DomainXmlResult = std::variant<DomainDevices, XmlError>;

DomainXmlResult parse_domain_xml(std::string_view xml) noexcept;

}  // namespace collect
