// The bodies of /api/vms and / as pure functions of a Snapshot and a StatusSource (the server tests
// check the same endpoints over HTTP).
#include <doctest/doctest.h>

#include <memory>

#include "build_info.hpp"
#include "http/handlers.hpp"
#include "support/sample_snapshot.hpp"

namespace {

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

http::StatusSource status_of(std::shared_ptr<const collect::Snapshot> snap)
{
    http::StatusSource s;
    s.libvirt_uri = "test:///demo";
    s.libvirt_connected = [] { return true; };
    s.latest_snapshot = [snap] { return snap; };
    return s;
}

// A snapshot whose only domain has a name that is markup, quotes and non-ASCII at once.
std::shared_ptr<const collect::Snapshot> hostile_snapshot()
{
    auto snap = std::make_shared<collect::Snapshot>();
    auto devices = std::make_shared<collect::DomainDevices>();
    devices->nics.push_back({"<vnet0>", "52:54:00:00:00:01", "bridge", "br0", "", "", "virtio", "", ""});
    collect::DomainSample d;
    d.name = "<script>alert(\"ü\")</script>'&";
    d.uuid = "00000000-0000-0000-0000-000000000001";
    d.state = {3, 1};
    d.devices = devices;
    snap->domains.push_back(d);
    return snap;
}

}  // namespace

TEST_CASE("/api/vms shows every attribute the device cache holds for a NIC and a disk")
{
    const auto snap = test_support::sample_snapshot();
    const auto body = http::vms_json(&snap);
    for (const char* part :
         {"\"target\": \"vnet0\"", "\"mac\": \"52:54:00:aa:bb:cc\"", "\"type\": \"bridge\"",
          "\"source_bridge\": \"br0\"", "\"model\": \"virtio\"", "\"alias\": \"net0\"", "\"target\": \"vda\"",
          "\"bus\": \"virtio\"", "\"device\": \"disk\"", "\"source\": \"/var/lib/one/datastores/0/42/disk.0\"",
          "\"driver_type\": \"qcow2\"", "\"driver_cache\": \"none\"", "\"serial\": \"SN-42\"",
          "\"alias\": \"virtio-disk0\"", "\"os_type\": \"hvm\"", "\"arch\": \"x86_64\"", "\"machine\": \"pc-q35-7.2\""})
        CHECK_MESSAGE(contains(body, part), part);
    // Empty attributes are left out rather than shown as "".
    CHECK_FALSE(contains(body, "\"source_network\""));
}

TEST_CASE("/api/vms gives identity and state of each domain, and null devices when the XML was not had")
{
    const auto snap = test_support::sample_snapshot();
    const auto body = http::vms_json(&snap);
    CHECK(contains(body, "\"name\": \"one-42\",\n      \"uuid\": \"11111111-2222-3333-4444-555555555555\","));
    CHECK(contains(body, "\"id\": 3"));
    CHECK(contains(body, "\"vmid\": \"42\""));
    CHECK(contains(body, "\"state\": 1,\n      \"state_name\": \"running\",\n      \"state_reason\": 1"));
    CHECK(contains(body, "\"state_name\": \"paused\""));
    CHECK(contains(body, "\"state_name\": \"shut off\""));
    CHECK(contains(body, "\"instance_name\": \"web-1\""));  // OpenStack metadata from the XML
    CHECK(contains(body, "\"name\": \"stopped\""));
    CHECK(contains(body, "\"nics\": null,\n      \"disks\": null"));
}

TEST_CASE("/api/vms writes a hostile domain name as a valid JSON string")
{
    const auto snap = test_support::sample_snapshot();
    CHECK(contains(http::vms_json(&snap), R"("name": "web \"front\",a=b\\ é\nx")"));
}

TEST_CASE("the landing page escapes domain names holding markup, quotes and non-ASCII")
{
    const auto html = http::landing_page(status_of(hostile_snapshot()), "/metrics");
    CHECK(contains(html, "<td>&lt;script&gt;alert(&quot;ü&quot;)&lt;/script&gt;&#39;&amp;</td><td>paused</td>"));
    CHECK(contains(html, "<td>&lt;vnet0&gt;</td>"));
    CHECK_FALSE(contains(html, "<script>"));
    CHECK_FALSE(contains(html, "<vnet0>"));
    CHECK(contains(html, "<meta charset=\"utf-8\">"));
}

TEST_CASE("the landing page lists each domain with its state, NICs and disks")
{
    const auto html =
        http::landing_page(status_of(std::make_shared<collect::Snapshot>(test_support::sample_snapshot())), "/m");
    CHECK(contains(html, "<span id=\"domains\">3</span>"));
    CHECK(contains(html, "<tr><td>one-42</td><td>running</td><td>vnet0</td><td>vda</td></tr>"));
    CHECK(contains(html, "<tr><td>stopped</td><td>shut off</td><td>?</td><td>?</td></tr>"));
    CHECK(contains(html, "href=\"/m\""));
    CHECK(contains(html, VIRT_EXPORTER_VERSION));
}

TEST_CASE("the landing page says whether the push is disabled, running or paused, with its counters")
{
    auto status = status_of(nullptr);
    CHECK(contains(http::landing_page(status, "/metrics"), "<span id=\"push-status\">disabled</span>"));
    prom::PushStatus p;
    p.running = false;
    p.lines_written = 1234;
    p.queued_lines = 56;
    p.lines_dropped = 7;
    p.last_error = "network error: <refused>";
    status.push_status = [&p] { return p; };
    const auto html = http::landing_page(status, "/metrics");
    CHECK(contains(html, "enabled, <span class=\"bad\" id=\"push-status\">paused</span>"));
    CHECK(contains(html, "<span id=\"push-written\">1234</span> written, 56 queued, 0 spooled, 7 dropped"));
    CHECK(contains(html, "network error: &lt;refused&gt;"));
    p.running = true;
    CHECK(contains(http::landing_page(status, "/metrics"), "id=\"push-status\">running</span>"));
}

TEST_CASE("the landing page before any collection and without callbacks is still a page")
{
    const auto html = http::landing_page(http::StatusSource{}, "/metrics");
    CHECK(contains(html, "<span id=\"domains\">no collection yet</span>"));
    CHECK(contains(html, "id=\"libvirt-status\">not connected"));
    CHECK(contains(html, "</html>"));
}

TEST_CASE("the landing page offers Pause push while the push runs and Resume push while it is paused")
{
    auto status = status_of(nullptr);
    prom::PushStatus p;
    p.running = true;
    status.push_status = [&p] { return p; };
    status.push_control = [](bool) {};
    std::string html = http::landing_page(status, "/metrics", true);
    CHECK(contains(html,
                   "<form class=\"push-control\" method=\"post\" action=\"/api/push/stop\">"
                   "<button type=\"submit\" id=\"push-pause\">Pause push</button></form>"));
    CHECK_FALSE(contains(html, "push-resume"));
    CHECK_FALSE(contains(html, "<script"));
    p.running = false;
    html = http::landing_page(status, "/metrics", true);
    CHECK(contains(html,
                   "<form class=\"push-control\" method=\"post\" action=\"/api/push/start\">"
                   "<button type=\"submit\" id=\"push-resume\">Resume push</button></form>"));
    CHECK_FALSE(contains(html, "push-pause"));
}

TEST_CASE("the landing page shows no push button to a client that may not use it, or without a push")
{
    auto status = status_of(nullptr);
    prom::PushStatus p;
    p.running = true;
    CHECK_FALSE(contains(http::landing_page(status, "/metrics", true), "<form"));  // no push configured
    status.push_status = [&p] { return p; };
    status.push_control = [](bool) {};
    CHECK_FALSE(contains(http::landing_page(status, "/metrics", false), "<form"));
    CHECK_FALSE(contains(http::landing_page(status, "/metrics"), "<form"));
}
