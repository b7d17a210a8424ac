// virt::Connection's lifetime: starting without libvirt, backoff, reconnect and generations, the
// shared event-loop thread, and domain events from the real test driver.
//
// What can be tested in process: lifecycle and metadata-change events (a read-write peer on the shared
// test:///default instance suspends/resumes a domain or sets its metadata). Not testable with the test
// driver: device added/removed events (it has no virDomainAttachDevice*), the close callback and
// keepalive (its connections never drop); those need a real libvirtd (tests/integration).
#include "support/virt_helpers.hpp"

#include <map>
#include <mutex>

#include "support/connection_test_access.hpp"
#include "support/manual_clock.hpp"
#include "virt/event_loop.hpp"

using namespace virt_test;
using virt::ErrorKind;
using namespace std::chrono_literals;

namespace {

const std::string unreachable_uri = "qemu+unix:///system?socket=/nonexistent/virt-exporter-test.sock";

template <typename Fn>
std::chrono::milliseconds time_of(Fn&& fn)
{
    const auto start = std::chrono::steady_clock::now();
    fn();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace

TEST_CASE("start returns promptly and calls fail as disconnected when libvirt is unreachable")
{
    virt::Connection conn(options_for(unreachable_uri));
    CHECK(time_of([&] { conn.start(); }) < 1000ms);
    CHECK_FALSE(conn.connected());
    CHECK(conn.generation() == 0);
    CHECK(error_kind_of([&] { conn.all_domain_stats(virt::default_stats_groups); }) == ErrorKind::disconnected);
    CHECK(error_kind_of([&] {
              conn.domain_xml({"x", "00000000-0000-4000-8000-000000000000", 1});
          }) == ErrorKind::disconnected);
    REQUIRE(eventually([&] { return test_support::connect_attempts(conn) >= 2; }));  // it keeps trying
    CHECK(conn.last_error().find("/nonexistent/virt-exporter-test.sock") != std::string::npos);
    CHECK_FALSE(conn.wait_connected(50ms));
    CHECK(time_of([&] { conn.stop(); }) < 1000ms);
    CHECK(conn.generation() == 0);
}

TEST_CASE("reconnect attempts back off on the injected clock")
{
    test_support::ManualClock clock;
    virt::ConnectionOptions options = options_for(unreachable_uri);
    options.reconnect_backoff_min = 1000ms;
    options.reconnect_backoff_max = 1000ms;  // no growth: each wait is 800..1000 ms of clock time
    virt::Connection conn(options, clock);
    conn.start();
    REQUIRE(eventually([&] { return test_support::connect_attempts(conn) == 1; }));
    std::this_thread::sleep_for(300ms);
    CHECK(test_support::connect_attempts(conn) == 1);  // real time passes, the clock does not
    clock.advance(1000ms);
    REQUIRE(eventually([&] { return test_support::connect_attempts(conn) == 2; }));
    // Let the attempt fail and the next wait begin before moving the clock again.
    std::this_thread::sleep_for(300ms);
    CHECK(test_support::connect_attempts(conn) == 2);
    clock.advance(1000ms);
    CHECK(eventually([&] { return test_support::connect_attempts(conn) == 3; }));
    conn.stop();
}

TEST_CASE("generation starts at 1 and grows with every reconnect; the connected handler sees each")
{
    std::mutex mu;
    std::vector<std::uint64_t> seen;
    virt::Connection conn(options_for(demo_node_uri()));
    conn.set_connected_handler([&](std::uint64_t gen) {
        std::lock_guard lock(mu);
        seen.push_back(gen);
    });
    conn.start();
    REQUIRE(conn.wait_connected(10s));
    CHECK(conn.generation() == 1);
    for (std::uint64_t expected = 2; expected <= 3; ++expected) {
        test_support::drop_connection(conn);
        REQUIRE(eventually([&] { return conn.generation() == expected && conn.connected(); }));
        CHECK(conn.all_domain_stats(virt::stats_state).size() == 5);
    }
    conn.stop();
    std::lock_guard lock(mu);
    CHECK(seen == std::vector<std::uint64_t>{1, 2, 3});
}

TEST_CASE("calls in flight during reconnects either succeed or fail as disconnected")
{
    virt::Connection conn(options_for(demo_node_uri()));
    conn.start();
    REQUIRE(conn.wait_connected(10s));
    std::atomic<bool> done{false};
    std::atomic<int> ok{0}, disconnected{0}, other{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < 3; ++t) {
        callers.emplace_back([&] {
            const virt::DomainRef db{"db-primary", "a1d2e3f4-5b6c-4d7e-8f90-1a2b3c4d5e03", 3};
            while (!done) {
                try {
                    conn.all_domain_stats(virt::stats_state);
                    conn.interface_stats(db, "testnet0");
                    ++ok;
                } catch (const virt::Error& e) {
                    ++(e.kind() == ErrorKind::disconnected ? disconnected : other);
                }
            }
        });
    }
    for (int i = 0; i < 10; ++i) {
        test_support::drop_connection(conn);
        eventually([&] { return conn.connected(); });
    }
    done = true;
    for (auto& t : callers) t.join();
    CHECK(ok > 0);
    CHECK(other == 0);
    CHECK(conn.generation() == 11);
}

TEST_CASE("stop is idempotent, runs from the destructor, and start after stop is refused")
{
    virt::Connection conn(options_for(demo_node_uri()));
    conn.start();
    conn.start();  // a second start is a no-op
    REQUIRE(conn.wait_connected(10s));
    conn.stop();
    CHECK_FALSE(conn.connected());
    conn.stop();
    CHECK_THROWS_AS(conn.start(), std::logic_error);
    CHECK(error_kind_of([&] { conn.all_domain_stats(virt::stats_state); }) == ErrorKind::disconnected);

    virt::Connection never_started(options_for(demo_node_uri()));
    never_started.stop();
}

TEST_CASE("the event-loop thread is shared by connections and ends promptly with the last one")
{
    const auto started_before = virt::detail::EventLoopLease::threads_started();
    CHECK_FALSE(virt::detail::EventLoopLease::running());
    {
        auto first = connect(demo_node_uri());
        auto second = connect("test:///default");
        CHECK(virt::detail::EventLoopLease::running());
        CHECK(virt::detail::EventLoopLease::threads_started() == started_before + 1);
        first->stop();
        CHECK(virt::detail::EventLoopLease::running());
        CHECK(time_of([&] { second->stop(); }) < 1000ms);
        CHECK_FALSE(virt::detail::EventLoopLease::running());
    }
    auto again = connect(demo_node_uri());  // and it starts again for the next one
    CHECK(virt::detail::EventLoopLease::running());
    CHECK(virt::detail::EventLoopLease::threads_started() == started_before + 2);
}

TEST_CASE("lifecycle and metadata events from a read-write peer reach the event handler")
{
    std::mutex mu;
    std::map<virt::DomainEventKind, std::vector<std::string>> events;
    virt::Connection conn(options_for("test:///default"));
    conn.set_event_handler([&](const std::string& uuid, virt::DomainEventKind kind) {
        std::lock_guard lock(mu);
        events[kind].push_back(uuid);
    });
    conn.start();
    REQUIRE(conn.wait_connected(10s));
    const auto records = conn.all_domain_stats(virt::stats_state);
    const auto uuid = record_named(records, "test").domain.uuid;

    TestDriverPeer peer;  // test:///default is one shared instance in this process
    CHECK(peer.on_domain("test", [](virDomainPtr d) { return virDomainSuspend(d); }) == 0);
    CHECK(peer.on_domain("test", [](virDomainPtr d) { return virDomainResume(d); }) == 0);
    CHECK(peer.on_domain("test", [](virDomainPtr d) {
        return virDomainSetMetadata(d, VIR_DOMAIN_METADATA_DESCRIPTION, "changed by a test", nullptr, nullptr,
                                    VIR_DOMAIN_AFFECT_LIVE);
    }) == 0);
    auto count = [&](virt::DomainEventKind kind) {
        std::lock_guard lock(mu);
        return events[kind].size();
    };
    CHECK(eventually([&] { return count(virt::DomainEventKind::lifecycle) >= 2; }));
    CHECK(eventually([&] { return count(virt::DomainEventKind::metadata_changed) >= 1; }));
    conn.stop();

    std::lock_guard lock(mu);
    for (const auto& [kind, uuids] : events)
        for (const auto& u : uuids) CHECK(u == uuid);
}

TEST_CASE("no event reaches the handler after stop")
{
    std::atomic<int> after_stop{0};
    std::atomic<bool> stopped{false};
    virt::Connection conn(options_for("test:///default"));
    conn.set_event_handler([&](const std::string&, virt::DomainEventKind) {
        if (stopped) ++after_stop;
    });
    conn.start();
    REQUIRE(conn.wait_connected(10s));
    conn.stop();
    stopped = true;
    auto keep_loop = connect(demo_node_uri());  // an event loop is running, so events would be delivered
    TestDriverPeer peer;
    peer.on_domain("test", [](virDomainPtr d) { return virDomainSuspend(d); });
    peer.on_domain("test", [](virDomainPtr d) { return virDomainResume(d); });
    std::this_thread::sleep_for(200ms);
    CHECK(after_stop == 0);
}

TEST_CASE("domain event kinds have names")
{
    CHECK(virt::domain_event_kind_name(virt::DomainEventKind::lifecycle) == "lifecycle");
    CHECK(virt::domain_event_kind_name(virt::DomainEventKind::device_added) == "device_added");
    CHECK(virt::domain_event_kind_name(virt::DomainEventKind::device_removed) == "device_removed");
    CHECK(virt::domain_event_kind_name(virt::DomainEventKind::metadata_changed) == "metadata_changed");
}
