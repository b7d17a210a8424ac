#include <doctest/doctest.h>

#include "collect/domain_filter.hpp"

namespace {

std::shared_ptr<const std::regex> re(const char* text)
{
    return std::make_shared<const std::regex>(text);
}

const virt::DomainRef web{"web-frontend-01", "7f3b9a42-1c6d-4e8f-a2b4-5c6d7e8f9a02", 3};
const virt::DomainRef db{"db-primary", "a1d2e3f4-5b6c-4d7e-8f90-1a2b3c4d5e03", 4};
const virt::DomainRef old{"build-runner-old", "e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a05", -1};

}  // namespace

TEST_CASE("the default filter keeps every domain and asks for no listing")
{
    const collect::DomainFilter f;
    CHECK_FALSE(f.filters());
    CHECK(f.keeps(web));
    CHECK(f.keeps(old));
}

TEST_CASE("include keeps only the domains whose whole name or UUID matches")
{
    collect::DomainFilter f;
    f.include = {re("web-.*"), re("a1d2e3f4-5b6c-4d7e-8f90-1a2b3c4d5e03")};
    CHECK(f.filters());
    CHECK(f.keeps(web));
    CHECK(f.keeps(db));  // by its UUID
    CHECK_FALSE(f.keeps(old));
    f.include = {re("web")};  // a whole match: "web" is not "web-frontend-01"
    CHECK_FALSE(f.keeps(web));
}

TEST_CASE("exclude drops what it matches, also what include kept")
{
    collect::DomainFilter f;
    f.include = {re(".*")};
    f.exclude = {re(".*-old"), re("7f3b9a42-.*")};
    CHECK_FALSE(f.keeps(web));
    CHECK(f.keeps(db));
    CHECK_FALSE(f.keeps(old));
}

TEST_CASE("inactive false leaves out the domains that are not running")
{
    collect::DomainFilter f;
    f.inactive = false;
    CHECK(f.filters());
    CHECK(f.keeps(web));
    CHECK_FALSE(f.keeps(old));
}

TEST_CASE("a name too long for std::regex's recursion is matched by no pattern instead of crashing")
{
    collect::DomainFilter f;
    f.include = {re("a.*")};
    const virt::DomainRef huge{std::string(200000, 'a'), "00000000-0000-4000-8000-000000000001", 7};
    CHECK_FALSE(f.keeps(huge));  // include: not kept
    f.include.clear();
    f.exclude = {re("a.*")};
    CHECK(f.keeps(huge));  // exclude: kept
    const virt::DomainRef longest_qemu_name{std::string(255, 'a'), huge.uuid, 7};
    CHECK_FALSE(f.keeps(longest_qemu_name));
}
