#include <doctest/doctest.h>

#include <string>

#include "collect/domain_state.hpp"

TEST_CASE("state names are virsh's words, and unknown outside libvirt's enum")
{
    CHECK(std::string(collect::domain_state(1).virsh) == "running");
    CHECK(std::string(collect::domain_state(5).virsh) == "shut off");
    CHECK(std::string(collect::domain_state(7).virsh) == "pmsuspended");
    CHECK(std::string(collect::domain_state(8).virsh) == "unknown");
    CHECK(std::string(collect::domain_state(-1).virsh) == "unknown");
}

TEST_CASE("state descriptions are inovex's state_desc texts, and unknown outside libvirt's enum")
{
    CHECK(std::string(collect::domain_state(0).description) == "no state");
    CHECK(std::string(collect::domain_state(2).description) == "the domain is blocked on resource");
    CHECK(std::string(collect::domain_state(5).description) == "the domain is shut off");
    CHECK(std::string(collect::domain_state(9).description) == "unknown");
}
