// libvirt.parallel: how many connections one collection is split over.
#include "support/config_helpers.hpp"

using config_test::from_yaml;
using config_test::yaml_error;

TEST_CASE("libvirt.parallel defaults to four connections, the fastest on real guests in bench/README.md")
{
    CHECK(config::Config{}.libvirt.parallel == 4);
}

TEST_CASE("libvirt.parallel 1 is accepted: the single bulk call")
{
    CHECK(from_yaml("libvirt:\n  parallel: 1\n").libvirt.parallel == 1);
}

TEST_CASE("libvirt.parallel is read from the file")
{
    CHECK(from_yaml("libvirt:\n  parallel: 4\n").libvirt.parallel == 4);
    CHECK(from_yaml("libvirt:\n  parallel: 16\n").libvirt.parallel == 16);
}

TEST_CASE("libvirt.parallel of zero or above 16 is refused with file, line and key")
{
    CHECK(yaml_error("libvirt:\n  parallel: 0\n") == "/x.yaml:2: libvirt.parallel: must be between 1 and 16, got 0");
    CHECK(yaml_error("libvirt:\n  uri: test:///default\n  parallel: 17\n") ==
          "/x.yaml:3: libvirt.parallel: must be between 1 and 16, got 17");
}

TEST_CASE("libvirt.parallel that is not a whole positive number is refused with file, line and key")
{
    CHECK(yaml_error("libvirt:\n  parallel: -2\n") == "/x.yaml:2: libvirt.parallel: must be >= 0, got -2");
    CHECK(yaml_error("libvirt:\n  parallel: two\n") ==
          "/x.yaml:2: libvirt.parallel: must be a whole number, got \"two\"");
    CHECK(yaml_error("libvirt:\n  parallel: 1.5\n") ==
          "/x.yaml:2: libvirt.parallel: must be a whole number, got \"1.5\"");
}

TEST_CASE("libvirt.parallel round-trips through the rendered configuration")
{
    auto c = from_yaml("libvirt:\n  parallel: 3\n");
    CHECK(from_yaml(config::to_yaml(c)).libvirt.parallel == 3);
}
