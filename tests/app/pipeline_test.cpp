#include <doctest/doctest.h>

#include "app/pipeline.hpp"

using namespace std::chrono_literals;

TEST_CASE("connection_options copies every libvirt connection setting")
{
    config::LibvirtConfig libvirt;
    libvirt.uri = "qemu+ssh://hv1/system";
    libvirt.read_only = false;
    libvirt.nowait = false;
    libvirt.keepalive_interval = 7s;
    libvirt.keepalive_count = 3;
    libvirt.reconnect_backoff_min = 250ms;
    libvirt.reconnect_backoff_max = 9s;
    libvirt.parallel = 4;

    const virt::ConnectionOptions options = app::connection_options(libvirt);
    CHECK(options.uri == "qemu+ssh://hv1/system");
    CHECK_FALSE(options.read_only);
    CHECK_FALSE(options.nowait);
    CHECK(options.keepalive_interval == 7s);
    CHECK(options.keepalive_count == 3);
    CHECK(options.reconnect_backoff_min == 250ms);
    CHECK(options.reconnect_backoff_max == 9s);
    CHECK(options.parallel == 4);
}

TEST_CASE("connection_options of the default configuration opens read-only with NOWAIT")
{
    const virt::ConnectionOptions options = app::connection_options(config::LibvirtConfig{});
    CHECK(options.read_only);
    CHECK(options.nowait);
    CHECK(options.parallel == config::LibvirtConfig{}.parallel);
}
