// Pure parsing of a libvirt storage pool definition (virStoragePoolGetXMLDesc) into what the pool
// families label a pool with: its type, target path and UUID. The XML is untrusted (a remote daemon's
// answer): no I/O, no DTD, bounded sizes, and errors come back as a value. Thread-safe; never throws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "collect/domain_xml.hpp"

namespace collect {

struct PoolDefinition {
    std::string type;         // <pool type="…">: dir, fs, netfs, logical, rbd, …
    std::string target_path;  // <target><path>; empty for pools without one (rbd, gluster)
    std::string uuid;         // <uuid>, lower case
    bool operator==(const PoolDefinition&) const = default;
};

// A pool definition is a few hundred bytes; anything larger than this is refused unparsed.
inline constexpr std::size_t max_pool_xml_bytes = std::size_t{1} << 20;
// Longest value kept (PATH_MAX); a longer one is refused, never cut.
inline constexpr std::size_t max_pool_value_bytes = 4096;

using PoolXmlResult = std::variant<PoolDefinition, XmlError>;

PoolXmlResult parse_pool_xml(std::string_view xml) noexcept;

}  // namespace collect
