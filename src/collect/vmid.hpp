// The VMID of a domain: taken from its name with a configurable regex (default `^one-(\d+)$`, the
// OpenNebula convention; the first capture group is the VMID), falling back to the libvirt domain id
// (empty for a domain that is not running). Shared by /metrics (libvirt_domain_info{vmid}) and the
// InfluxDB tags.
// Thread-safety: vmid() is const and safe from any thread. The daemon hands in push.vmid_regex as
// config compiled it (config::Pattern); the string constructor, for the default and for tests, throws
// std::regex_error for an invalid pattern.
#pragma once

#include <memory>
#include <regex>
#include <string>

namespace collect {

class VmidRule {
public:
    VmidRule() : VmidRule(default_pattern) {}
    explicit VmidRule(const std::string& pattern);
    explicit VmidRule(std::shared_ptr<const std::regex> compiled) : regex_(std::move(compiled)) {}
    static constexpr const char* default_pattern = "^one-(\\d+)$";
    std::string vmid(const std::string& domain_name, int domain_id) const;

private:
    std::shared_ptr<const std::regex> regex_;  // never null
};

}  // namespace collect
