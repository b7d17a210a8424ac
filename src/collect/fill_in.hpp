// Per-domain fill-in for stats groups that the bulk call leaves empty (libvirt's test driver returns
// only state.*, other drivers some groups). It learns, per connection, which groups the bulk call
// serves, so the fill-in costs nothing where bulk works, and which per-domain calls the driver does not
// implement, so an unsupported call is made (and logged) once per connection, not once per scrape.
//
// Thread-safety: fill() and the rest may run on several collecting threads at once (the snapshot store
// starts a second collection when one hangs); what it learns is kept in atomics.
// Throws: nothing from fill(); per-call errors are returned in FillInResult.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "collect/domain_devices.hpp"
#include "util/log.hpp"
#include "virt/domain_source.hpp"

namespace collect {

struct FillInResult {
    unsigned filled_groups = 0;  // groups for which per-domain calls were made
    unsigned failed_groups = 0;  // groups whose per-domain call failed (other than unsupported)
    bool vanished = false;       // the domain disappeared during the calls
    bool busy = false;           // a call gave up waiting for the domain's job (virt::ErrorKind::busy)
    std::vector<std::pair<unsigned, std::chrono::nanoseconds>> group_durations;
    std::string error;  // the last failure message, for the group status
};

class FillIn {
public:
    explicit FillIn(virt::DomainSource& source) : source_(source) {}

    // Learns from one bulk result which of `requested` groups the bulk call serves on this
    // connection. Call once per collection before missing_groups().
    void observe_bulk(const std::vector<virt::DomainStatsRecord>& records, unsigned requested);

    // The groups of `requested` to fill in for this record: those the bulk call did not return and
    // is not known to serve. Inactive domains get only the state group (nothing else is measured).
    unsigned missing_groups(const virt::DomainStatsRecord& record, unsigned requested) const;

    // Appends, in the bulk call's naming, what the per-domain APIs return for `groups`. NIC and disk
    // calls need the device targets from the domain XML; without `devices` those groups stay empty.
    FillInResult fill(virt::DomainStatsRecord& record, unsigned groups, const DomainDevices* devices);

private:
    enum Api : unsigned {
        api_state = 1u << 0,
        api_info = 1u << 1,
        api_cpu = 1u << 2,
        api_vcpu = 1u << 3,
        api_memory = 1u << 4,
        api_interface = 1u << 5,
        api_block = 1u << 6,
    };

    void reset_if_reconnected();
    // Runs one per-domain call, appending its params (prefixed) to `record`. Returns false only for a
    // real failure: an unsupported call or a vanished domain is not one.
    template <typename Call>
    bool call(Api api, const char* api_name, virt::DomainStatsRecord& record, const std::string& prefix,
              FillInResult& result, Call&& fn);
    void add_missing(virt::DomainStatsRecord& record, std::vector<virt::TypedParam> params,
                     const std::string& group_prefix);

    virt::DomainSource& source_;
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<unsigned> bulk_serves_{0};       // groups seen in a bulk record on this connection
    std::atomic<unsigned> unsupported_apis_{0};  // per-domain calls the driver refused on this connection
    util::LogOnce log_once_;
};

}  // namespace collect
