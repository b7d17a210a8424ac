#include <doctest/doctest.h>

#include <future>

#include "collect/job_calls.hpp"
#include "collect/sampler.hpp"
#include "support/fake_domain_source.hpp"
#include "support/manual_clock.hpp"

using namespace std::chrono_literals;
using collect::JobCallOutcome;
using test_support::FakeDomainSource;

namespace {

const virt::DomainRef vm{"vm1", "11111111-1111-1111-1111-111111111111", 4};

std::chrono::steady_clock::time_point in(std::chrono::milliseconds d)
{
    return std::chrono::steady_clock::now() + d;
}

// A job call that does not return until the test lets it.
struct Gate {
    std::promise<void> open;
    std::shared_future<void> opened = open.get_future().share();
    void hold(FakeDomainSource& src)
    {
        src.on_job_call = [f = opened](const virt::DomainRef&) { f.wait(); };
    }
};

virt::DomainStatsRecord paused_for_dump()
{
    return {vm, {{"state.state", std::int64_t{3}}, {"state.reason", std::int64_t{4}}}};
}

}  // namespace

TEST_CASE("a job call that answers in time gives its stats and remembers the running job")
{
    FakeDomainSource src;
    src.job_types[vm.uuid] = 2;
    src.answers["job:" + vm.uuid] = {{"data_processed", std::uint64_t{5}}};
    collect::JobCalls calls(src, util::SystemClock::instance());
    const auto r = calls.get(vm, in(5s));
    CHECK(r.outcome == JobCallOutcome::answered);
    CHECK(r.stats.type == 2);
    CHECK(r.stats.params.size() == 1);
    CHECK(calls.had_job(vm.uuid));
    src.job_types[vm.uuid] = 0;
    CHECK(calls.get(vm, in(5s)).outcome == JobCallOutcome::answered);
    CHECK_FALSE(calls.had_job(vm.uuid));
}

TEST_CASE("a domain gone from the listing during its job is forgotten")
{
    FakeDomainSource src;
    src.job_types[vm.uuid] = 1;
    collect::JobCalls calls(src, util::SystemClock::instance());
    CHECK(calls.get(vm, in(5s)).outcome == JobCallOutcome::answered);
    calls.retain_only({vm.uuid, "another"});
    CHECK(calls.had_job(vm.uuid));
    calls.retain_only({"another"});
    CHECK_FALSE(calls.had_job(vm.uuid));
}

TEST_CASE("a job call stuck behind the domain is busy at the deadline and is not made again while it waits")
{
    FakeDomainSource src;
    Gate gate;
    gate.hold(src);
    collect::JobCalls calls(src, util::SystemClock::instance());
    const auto start = std::chrono::steady_clock::now();
    const auto r = calls.get(vm, in(100ms));
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(r.outcome == JobCallOutcome::busy);
    CHECK(calls.get(vm, in(100ms)).outcome == JobCallOutcome::busy);
    CHECK(src.count_of("job") == 0);  // still inside the first call
    gate.open.set_value();
    // Once the stuck call has answered, the next collection asks afresh.
    for (int i = 0; i < 200 && calls.get(vm, in(100ms)).outcome == JobCallOutcome::busy; ++i)
        std::this_thread::sleep_for(5ms);
    CHECK(calls.get(vm, in(1s)).outcome == JobCallOutcome::answered);
}

TEST_CASE("a driver without the call is asked once per connection")
{
    FakeDomainSource src;
    src.unsupported.insert("job");
    collect::JobCalls calls(src, util::SystemClock::instance());
    CHECK(calls.get(vm, in(1s)).outcome == JobCallOutcome::unsupported);
    CHECK(calls.get(vm, in(1s)).outcome == JobCallOutcome::unsupported);
    CHECK(src.count_of("job") == 1);
    ++src.gen;  // a new connection may be to a newer daemon
    CHECK(calls.get(vm, in(1s)).outcome == JobCallOutcome::unsupported);
    CHECK(src.count_of("job") == 2);
}

TEST_CASE("libvirt's busy answer and other errors are told apart")
{
    FakeDomainSource src;
    src.busy.insert("job");
    collect::JobCalls calls(src, util::SystemClock::instance());
    CHECK(calls.get(vm, in(1s)).outcome == JobCallOutcome::busy);
    src.busy.clear();
    src.failing.insert("job");
    const auto r = calls.get(vm, in(1s));
    CHECK(r.outcome == JobCallOutcome::failed);
    CHECK(r.error.find("job failed") != std::string::npos);
}

TEST_CASE("the sampler asks for the job of a domain paused for a dump and of no other")
{
    FakeDomainSource src;
    test_support::ManualClock clock;
    collect::DeviceCache cache{clock, 300s};
    collect::SamplerOptions options;
    options.groups = virt::stats_state;
    collect::Sampler sampler(src, cache, clock, options);
    virt::DomainStatsRecord other{{"vm2", "22222222-2222-2222-2222-222222222222", 5},
                                  {{"state.state", std::int64_t{1}}, {"state.reason", std::int64_t{1}}}};
    src.bulk = {paused_for_dump(), other};
    src.job_types[vm.uuid] = 2;
    src.answers["job:" + vm.uuid] = {{"data_processed", std::uint64_t{7}}, {"operation", std::int64_t{8}}};
    auto snap = sampler.collect();
    REQUIRE(snap.domains.size() == 2);
    REQUIRE(snap.domains[0].job);
    CHECK(snap.domains[0].job->data_processed == 7u);
    CHECK_FALSE(snap.domains[0].timed_out);
    CHECK_FALSE(snap.domains[1].job);
    CHECK(src.count_of("job") == 1);

    // The job goes on after the guest resumes (a live phase): it is followed until it ends.
    src.bulk[0].params = {{"state.state", std::int64_t{1}}, {"state.reason", std::int64_t{5}}};
    CHECK(sampler.collect().domains[0].job);
    src.job_types[vm.uuid] = 0;
    CHECK_FALSE(sampler.collect().domains[0].job);
    CHECK_FALSE(sampler.collect().domains[0].job);
    CHECK(src.count_of("job") == 3);
}

TEST_CASE("a job call that hangs marks only its domain timed out and the collection ends in time")
{
    FakeDomainSource src;
    Gate gate;
    gate.hold(src);
    collect::DeviceCache cache{util::SystemClock::instance(), 300s};
    collect::SamplerOptions options;
    options.groups = virt::stats_state;
    options.budget = 300ms;
    collect::Sampler sampler(src, cache, util::SystemClock::instance(), options);
    virt::DomainStatsRecord other{{"vm2", "22222222-2222-2222-2222-222222222222", 5},
                                  {{"state.state", std::int64_t{1}}, {"state.reason", std::int64_t{1}}}};
    src.bulk = {paused_for_dump(), other};
    const auto start = std::chrono::steady_clock::now();
    auto snap = sampler.collect();
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    REQUIRE(snap.domains.size() == 2);
    CHECK(snap.domains[0].timed_out);
    CHECK_FALSE(snap.domains[0].job);
    CHECK_FALSE(snap.domains[1].timed_out);
    // The next collection does not wait again for the call still in flight.
    const auto again = std::chrono::steady_clock::now();
    snap = sampler.collect();
    CHECK(std::chrono::steady_clock::now() - again < 250ms);
    CHECK(snap.domains[0].timed_out);
    gate.open.set_value();
}
