#include <doctest/doctest.h>

#include "app/push.hpp"
#include "support/manual_clock.hpp"

using namespace std::chrono_literals;

TEST_CASE("push_status copies every counter of the push loop to the field of the same meaning")
{
    influx::PushStats stats;
    stats.running = true;
    stats.queued_lines = 1;
    stats.spooled_lines = 2;
    stats.spool_bytes = 3;
    stats.lines_written = 4;
    stats.lines_dropped = 5;
    stats.lines_rejected = 6;
    stats.retries = 7;
    stats.intervals_skipped = 8;
    stats.last_success_unix = 9.5;
    stats.last_error = "HTTP 500";
    influx::UrlStats url;
    url.url = "http://w:***@a:8086";
    url.current = true;
    url.up = false;
    url.writes = 10;
    url.failures = 11;
    url.last_error = "network_error: refused";
    stats.urls = {url};

    const prom::PushStatus status = app::push_status(stats);
    CHECK(status.running);
    CHECK(status.queued_lines == 1);
    CHECK(status.spooled_lines == 2);
    CHECK(status.spool_bytes == 3);
    CHECK(status.lines_written == 4);
    CHECK(status.lines_dropped == 5);
    CHECK(status.lines_rejected == 6);
    CHECK(status.retries == 7);
    CHECK(status.last_success_unix == 9.5);
    CHECK(status.last_error == "HTTP 500");
    REQUIRE(status.urls.size() == 1);
    CHECK(status.urls[0].url == "http://w:***@a:8086");
    CHECK(status.urls[0].current);
    CHECK_FALSE(status.urls[0].up);
    CHECK(status.urls[0].writes == 10);
    CHECK(status.urls[0].failures == 11);
    CHECK(status.urls[0].last_error == "network_error: refused");
}

TEST_CASE("push_status of a push loop that never ran is all zero and not running")
{
    const prom::PushStatus status = app::push_status(influx::PushStats{});
    CHECK_FALSE(status.running);
    CHECK(status.lines_written == 0);
    CHECK(status.retries == 0);
    CHECK(status.last_error.empty());
}

TEST_CASE("make_pusher makes no push loop when no push URL is configured")
{
    test_support::ManualClock clock;
    collect::SnapshotStore store{[] { return collect::Snapshot{}; }, clock, 1000ms};
    const config::Config config;
    REQUIRE_FALSE(config.push.active());
    CHECK(app::make_pusher(config, store) == nullptr);
}

TEST_CASE("a write body's lines are counted with or without a newline after the last")
{
    CHECK(app::lines_in("") == 0);
    CHECK(app::lines_in("m f=1i 1\n") == 1);
    CHECK(app::lines_in("m f=1i 1\nm f=2i 2") == 2);
    CHECK(app::lines_in("m f=1i 1\nm f=2i 2\n") == 2);
}
