// The VMID of a domain: taken from its name with a configurable regex (default `^one-(\d+)$`, the
// OpenNebula convention; the first capture group is the VMID), falling back to the libvirt domain id
// (empty for a domain that is not running). Shared by /metrics (libvirt_domain_info{vmid}) and the
// InfluxDB tags.
// Thread-safety: vmid() is const and safe from any thread. The constructor throws std::regex_error
// for an invalid pattern (config validation catches that first).
#pragma once

#include <regex>
#include <string>

namespace collect {

class VmidRule {
public:
    VmidRule() : VmidRule(default_pattern) {}
    explicit VmidRule(const std::string& pattern);
    static constexpr const char* default_pattern = "^one-(\\d+)$";
    std::string vmid(const std::string& domain_name, int domain_id) const;

private:
    std::regex regex_;
};

}  // namespace collect
