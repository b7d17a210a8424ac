// What a domain's XML says about it: devices and identity attributes that the stats records lack.
// Plain immutable data, produced by parse_domain_xml() and shared (shared_ptr<const>) by the device
// cache, the scrape path and the push loop. Empty strings mean "not present in the XML".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collect {

struct NicInfo {
    std::string target;          // <target dev=>; empty for e.g. type='user'
    std::string mac;             // <mac address=>
    std::string type;            // <interface type=> (bridge, network, ethernet, user, hostdev, ...)
    std::string source_bridge;   // <source bridge=>
    std::string source_network;  // <source network=>
    std::string source_dev;      // <source dev=> (direct/macvtap, hostdev)
    std::string model;           // <model type=>
    std::string mtu;             // <mtu size=>, as written (inovex's mtu_size label)
    std::string alias;           // <alias name=>
    bool operator==(const NicInfo&) const = default;
};

struct DiskInfo {
    std::string target;           // <target dev=>
    std::string bus;              // <target bus=>
    std::string device;           // <disk device=>: disk, cdrom, floppy, lun
    std::string type;             // <disk type=>: file, block, network, volume, dir
    std::string source;           // file, dev, dir, "protocol://name" for network, "pool/volume" for volume
    std::string source_protocol;  // <source protocol=> for network disks
    std::string source_name;      // <source name=> for network disks
    std::string driver_name;      // <driver name=>: qemu, ...
    std::string driver_type;      // <driver type=>: qcow2, raw, ...
    std::string driver_cache;     // <driver cache=>
    std::string driver_discard;   // <driver discard=>: unmap, ignore
    std::string serial;           // <serial>
    std::string alias;            // <alias name=>
    bool operator==(const DiskInfo&) const = default;
};

// OpenStack nova metadata (namespaces http://openstack.org/xmlns/libvirt/nova/1.0 and /1.1).
struct NovaInfo {
    std::string instance_name;  // <nova:name>
    std::string flavor;         // <nova:flavor name=>
    std::string project_name;   // <nova:owner><nova:project>
    std::string project_uuid;   // <nova:project uuid=>
    std::string user_name;      // <nova:owner><nova:user>
    std::string user_uuid;      // <nova:user uuid=>
    std::string root_type;      // <nova:root type=>
    std::string root_uuid;      // <nova:root uuid=>
    bool operator==(const NovaInfo&) const = default;
};

struct DomainDevices {
    std::string name;
    std::string uuid;
    std::string domain_type;      // <domain type=>: kvm, qemu, test, ...
    std::string os_type;          // <os><type>hvm</type>
    std::string arch;             // <os><type arch=>
    std::string machine;          // <os><type machine=>
    std::vector<NicInfo> nics;    // every <interface>, in document order
    std::vector<DiskInfo> disks;  // every <disk>, in document order
    std::optional<NovaInfo> nova;
    // <memballoon><stats period=>: seconds between the guest's memory statistics updates; 0 when the
    // balloon has no period (the guest then never reports usable or available memory); empty without a
    // balloon device (model='none', or no <memballoon>) or with a period that is not a number.
    std::optional<std::uint32_t> balloon_period;
    bool operator==(const DomainDevices&) const = default;
};

}  // namespace collect
