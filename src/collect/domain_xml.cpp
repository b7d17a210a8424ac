#include "collect/domain_xml.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include <pugixml.hpp>

#include "collect/untrusted_xml.hpp"
#include "util/text.hpp"

namespace collect {
namespace {

constexpr std::string_view nova_ns_prefix = "http://openstack.org/xmlns/libvirt/nova/";

// All direct text of an element, trimmed. child_value() would stop at the first text node, so
// "<name>a<!-- c -->b</name>" or a CDATA section next to text would lose bytes.
std::string text_of(const pugi::xml_node& n)
{
    std::string out;
    for (const auto& c : n.children())
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
    return std::string(util::trim(out));
}

std::string attr(const pugi::xml_node& node, const char* child, const char* name)
{
    return node.child(child).attribute(name).value();
}

// The local part of a possibly prefixed element name ("nova:instance" → "instance").
std::string_view local_name(const pugi::xml_node& n)
{
    std::string_view name = n.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The namespace URI an element's prefix is bound to, looking up the ancestors' xmlns declarations.
std::string_view namespace_uri(const pugi::xml_node& n)
{
    std::string_view name = n.name();
    const auto colon = name.find(':');
    const std::string attr_name =
        colon == std::string_view::npos ? std::string("xmlns") : "xmlns:" + std::string(name.substr(0, colon));
    for (pugi::xml_node p = n; p; p = p.parent())
        if (const auto a = p.attribute(attr_name.c_str())) return a.value();
    return {};
}

pugi::xml_node child_local(const pugi::xml_node& n, std::string_view local)
{
    for (const auto& c : n.children())
        if (c.type() == pugi::node_element && local_name(c) == local) return c;
    return {};
}

NicInfo parse_interface(const pugi::xml_node& n)
{
    NicInfo nic;
    nic.type = n.attribute("type").value();
    nic.mac = attr(n, "mac", "address");
    nic.target = attr(n, "target", "dev");
    nic.source_bridge = attr(n, "source", "bridge");
    nic.source_network = attr(n, "source", "network");
    nic.source_dev = attr(n, "source", "dev");
    nic.model = attr(n, "model", "type");
    nic.mtu = attr(n, "mtu", "size");
    nic.alias = attr(n, "alias", "name");
    return nic;
}

std::string network_source(const pugi::xml_node& source)
{
    const std::string protocol = source.attribute("protocol").value();
    const std::string name = source.attribute("name").value();
    std::string hosts;
    for (const auto& h : source.children("host")) {
        const std::string_view host = h.attribute("name").value();
        if (host.empty()) continue;  // e.g. transport='unix' socket=: nothing host-like to show
        if (!hosts.empty()) hosts += ',';
        // An IPv6 literal gets brackets, as in a URL, so its colons are not read as the port's.
        if (host.find(':') != std::string_view::npos)
            hosts.append("[").append(host).append("]");
        else
            hosts += host;
        if (const auto port = h.attribute("port")) hosts += std::string(":") + port.value();
    }
    std::string out = protocol.empty() ? std::string() : protocol + "://";
    if (!hosts.empty()) out += hosts + "/";
    return out + name;
}

// The memory balloon's statistics period; see DomainDevices::balloon_period.
std::optional<std::uint32_t> parse_balloon_period(const pugi::xml_node& devices)
{
    const pugi::xml_node balloon = devices.child("memballoon");
    if (!balloon || std::string_view(balloon.attribute("model").value()) == "none") return std::nullopt;
    const pugi::xml_attribute period = balloon.child("stats").attribute("period");
    if (!period) return 0;
    const std::string_view text = period.value();
    std::uint32_t seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return seconds;
}

DiskInfo parse_disk(const pugi::xml_node& n)
{
    DiskInfo disk;
    disk.type = n.attribute("type").value();
    disk.device = n.attribute("device").as_string("disk");
    disk.target = attr(n, "target", "dev");
    disk.bus = attr(n, "target", "bus");
    disk.driver_name = attr(n, "driver", "name");
    disk.driver_type = attr(n, "driver", "type");
    disk.driver_cache = attr(n, "driver", "cache");
    disk.driver_discard = attr(n, "driver", "discard");
    disk.serial = text_of(n.child("serial"));
    disk.alias = attr(n, "alias", "name");
    const pugi::xml_node source = n.child("source");
    if (disk.type == "network") {
        disk.source_protocol = source.attribute("protocol").value();
        disk.source_name = source.attribute("name").value();
        if (source) disk.source = network_source(source);
    } else if (disk.type == "volume") {
        const std::string pool = source.attribute("pool").value();
        const std::string volume = source.attribute("volume").value();
        if (!pool.empty() || !volume.empty()) disk.source = pool + "/" + volume;
    } else {
        for (const char* a : {"file", "dev", "dir", "name"})
            if (const auto v = source.attribute(a)) {
                disk.source = v.value();
                break;
            }
    }
    return disk;
}

std::optional<NovaInfo> parse_nova(const pugi::xml_node& metadata)
{
    for (const auto& el : metadata.children()) {
        if (el.type() != pugi::node_element || local_name(el) != "instance") continue;
        if (!namespace_uri(el).starts_with(nova_ns_prefix)) continue;
        NovaInfo nova;
        nova.instance_name = text_of(child_local(el, "name"));
        nova.flavor = child_local(el, "flavor").attribute("name").value();
        const auto owner = child_local(el, "owner");
        const auto user = child_local(owner, "user");
        const auto project = child_local(owner, "project");
        nova.user_name = text_of(user);
        nova.user_uuid = user.attribute("uuid").value();
        nova.project_name = text_of(project);
        nova.project_uuid = project.attribute("uuid").value();
        const auto root = child_local(el, "root");
        nova.root_type = root.attribute("type").value();
        nova.root_uuid = root.attribute("uuid").value();
        return nova;
    }
    return std::nullopt;
}

DomainXmlResult parse(std::string_view xml)
{
    pugi::xml_document doc;
    if (auto error = load_untrusted_xml(doc, xml, "domain XML")) return XmlError{std::move(*error)};
    const pugi::xml_node domain = doc.child("domain");
    if (!domain) return XmlError{"domain XML: no <domain> root element"};
    DomainDevices d;
    d.name = text_of(domain.child("name"));
    d.uuid = text_of(domain.child("uuid"));
    if (d.uuid.empty()) return XmlError{"domain XML: no <uuid>"};
    std::transform(d.uuid.begin(), d.uuid.end(), d.uuid.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    d.domain_type = domain.attribute("type").value();
    const pugi::xml_node type = domain.child("os").child("type");
    d.os_type = text_of(type);
    d.arch = type.attribute("arch").value();
    d.machine = type.attribute("machine").value();
    const pugi::xml_node devices = domain.child("devices");
    for (const auto& n : devices.children("interface")) d.nics.push_back(parse_interface(n));
    for (const auto& n : devices.children("disk")) d.disks.push_back(parse_disk(n));
    d.nova = parse_nova(domain.child("metadata"));
    d.balloon_period = parse_balloon_period(devices);
    return d;
}

}  // namespace

DomainXmlResult parse_domain_xml(std::string_view xml) noexcept
{
    try {
        return parse(xml);
    } catch (const std::exception& e) {
        return XmlError{std::string("domain XML: ") + e.what()};
    } catch (...) {
        return XmlError{"domain XML: unexpected error"};
    }
}

}  // namespace collect
