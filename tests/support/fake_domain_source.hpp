// Test support: a scriptable DomainSource. Tests set the bulk records and per-domain answers, and
// can make a call unsupported or failing; every call is counted.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "virt/domain_source.hpp"

namespace test_support {

class FakeDomainSource : public virt::DomainSource {
public:
    std::atomic<std::uint64_t> gen{1};
    std::atomic<bool> up{true};
    virt::LibvirtVersions libvirt_versions{"7.2.0", "9.0.0", "9.0.0"};  // returned by versions() while up
    std::vector<virt::DomainStatsRecord> bulk;                          // returned by all_domain_stats
    std::map<std::string, std::string> xml;                             // uuid → XML
    std::map<std::string, std::vector<virt::TypedParam>> answers;       // "call:uuid[:dev]" → params
    std::set<std::string> unsupported;                                  // call names that throw unsupported
    std::set<std::string> failing;                                      // call names that throw ErrorKind::other
    std::set<std::string> busy;                                         // call names that throw ErrorKind::busy
    mutable std::mutex mu;
    std::map<std::string, int> calls;                      // call name → count
    std::function<void(const std::string& call)> on_call;  // e.g. to advance a ManualClock

    std::uint64_t generation() const noexcept override { return gen; }
    bool connected() const noexcept override { return up; }
    virt::LibvirtVersions versions() const override { return up ? libvirt_versions : virt::LibvirtVersions{}; }

    std::vector<virt::DomainStatsRecord> all_domain_stats(unsigned) override
    {
        count("bulk");
        if (!up) throw virt::Error(virt::ErrorKind::disconnected, "not connected");
        return bulk;
    }
    std::vector<virt::DomainRef> list_domains() override
    {
        count("list");
        if (!up) throw virt::Error(virt::ErrorKind::disconnected, "not connected");
        std::vector<virt::DomainRef> refs;
        for (const auto& r : bulk) refs.push_back(r.domain);
        return refs;
    }
    // The bulk records of `domains`; every domain asked for is counted in `stats_asked` (uuid → count).
    std::vector<virt::DomainStatsRecord> domain_stats(const std::vector<virt::DomainRef>& domains, unsigned) override
    {
        count("domain_stats");
        std::vector<virt::DomainStatsRecord> out;
        std::lock_guard lock(mu);
        for (const auto& d : domains) {
            ++stats_asked[d.uuid];
            for (const auto& r : bulk)
                if (r.domain.uuid == d.uuid) out.push_back(r);
        }
        return out;
    }
    std::map<std::string, int> stats_asked;  // guarded by mu
    std::string domain_xml(const virt::DomainRef& d) override
    {
        count("xml");
        auto it = xml.find(d.uuid);
        if (it == xml.end()) throw virt::Error(virt::ErrorKind::no_domain, "no domain " + d.name);
        return it->second;
    }
    std::vector<virt::TypedParam> domain_info(const virt::DomainRef& d) override { return answer("info", d, ""); }
    std::vector<virt::TypedParam> domain_state(const virt::DomainRef& d) override { return answer("state", d, ""); }
    std::vector<virt::TypedParam> cpu_stats(const virt::DomainRef& d) override { return answer("cpu", d, ""); }
    std::vector<virt::TypedParam> vcpu_stats(const virt::DomainRef& d) override { return answer("vcpu", d, ""); }
    std::vector<virt::TypedParam> memory_stats(const virt::DomainRef& d) override { return answer("memory", d, ""); }
    std::vector<virt::TypedParam> interface_stats(const virt::DomainRef& d, const std::string& dev) override
    {
        return answer("interface", d, dev);
    }
    std::vector<virt::TypedParam> block_stats(const virt::DomainRef& d, const std::string& dev) override
    {
        return answer("block", d, dev);
    }

    // Storage pools: listed in order; info and XML by uuid. A pool in `failing_pools` throws from
    // storage_pool_info; `on_call` sees "pool_info:<uuid>" first (a test can block there).
    std::vector<virt::StoragePoolRef> pools;
    std::map<std::string, virt::StoragePoolInfo> pool_info;  // uuid → info
    std::map<std::string, std::string> pool_xml;             // uuid → XML
    std::set<std::string> failing_pools;                     // uuids
    std::vector<virt::StoragePoolRef> list_storage_pools() override
    {
        count("pool_list");
        if (!up) throw virt::Error(virt::ErrorKind::disconnected, "not connected");
        if (failing.contains("pool_list")) throw virt::Error(virt::ErrorKind::other, "listing failed");
        return pools;
    }
    virt::StoragePoolInfo storage_pool_info(const virt::StoragePoolRef& p) override
    {
        count("pool_info:" + p.uuid);
        if (failing_pools.contains(p.uuid)) throw virt::Error(virt::ErrorKind::other, "no pool " + p.name);
        return pool_info[p.uuid];
    }
    std::string storage_pool_xml(const virt::StoragePoolRef& p) override
    {
        count("pool_xml");
        auto it = pool_xml.find(p.uuid);
        if (it == pool_xml.end()) throw virt::Error(virt::ErrorKind::other, "no XML for " + p.name);
        return it->second;
    }
    // "job:uuid" answers come from `answers`; the job type from job_types (uuid → virDomainJobType, 0 when
    // absent). `on_job_call` runs inside job_stats() before it answers (a test may block it there).
    std::map<std::string, int> job_types;
    std::function<void(const virt::DomainRef&)> on_job_call;
    virt::JobStats job_stats(const virt::DomainRef& d) override
    {
        if (on_job_call) on_job_call(d);
        auto params = answer("job", d, "");
        const auto it = job_types.find(d.uuid);
        return {it == job_types.end() ? 0 : it->second, std::move(params)};
    }

    // "guest_fs:uuid" answers come from `answers`; `on_call` sees "guest_fs" first (a test may block there).
    std::vector<virt::TypedParam> guest_filesystems(const virt::DomainRef& d) override
    {
        return answer("guest_fs", d, "");
    }

    // "placement" (counted and failing like the per-domain calls) answers from `placements` (uuid →
    // answer, empty when absent); "iotune:uuid:dev" answers come from `answers`.
    std::map<std::string, std::vector<virt::VcpuPlacement>> placements;
    std::vector<virt::VcpuPlacement> vcpu_placement(const virt::DomainRef& d) override
    {
        answer("placement", d, "");
        const auto it = placements.find(d.uuid);
        return it == placements.end() ? std::vector<virt::VcpuPlacement>{} : it->second;
    }
    std::vector<virt::TypedParam> block_iotune(const virt::DomainRef& d, const std::string& dev) override
    {
        return answer("iotune", d, dev);
    }

    int count_of(const std::string& call) const
    {
        std::lock_guard lock(mu);
        auto it = calls.find(call);
        return it == calls.end() ? 0 : it->second;
    }

private:
    void count(const std::string& call)
    {
        {
            std::lock_guard lock(mu);
            ++calls[call];
        }
        if (on_call) on_call(call);
    }
    std::vector<virt::TypedParam> answer(const std::string& call, const virt::DomainRef& d, const std::string& dev)
    {
        count(call);
        if (unsupported.contains(call)) throw virt::Error(virt::ErrorKind::unsupported, call + " unsupported");
        if (failing.contains(call)) throw virt::Error(virt::ErrorKind::other, call + " failed for " + d.name);
        if (busy.contains(call)) throw virt::Error(virt::ErrorKind::busy, "cannot acquire state change lock");
        auto it = answers.find(call + ":" + d.uuid + (dev.empty() ? "" : ":" + dev));
        return it == answers.end() ? std::vector<virt::TypedParam>{} : it->second;
    }
};

}  // namespace test_support
