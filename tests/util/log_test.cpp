#include <doctest/doctest.h>

#include "util/error_chain.hpp"
#include "util/log.hpp"

#include <stdexcept>

TEST_CASE("a log line names level and subsystem and keeps a hostile message on one line")
{
    const auto line = util::format_log_line(util::LogLevel::warn, "virt", "domain \"a\\b\"\nnext");
    CHECK(line == "level=warn subsystem=virt msg=\"domain \\\"a\\\\b\\\"\\nnext\"\n");
}

TEST_CASE("log levels parse from their names and reject anything else")
{
    const auto parse = [](std::string_view text) {
        return util::value_named<util::LogLevel>(util::log_level_names, text);
    };
    CHECK(parse("debug") == util::LogLevel::debug);
    CHECK(parse("warning") == util::LogLevel::warn);
    CHECK_FALSE(parse("verbose"));
}

TEST_CASE("a persistent condition is logged once until its message changes or it clears")
{
    const auto saved = util::log_level();
    util::set_log_level(util::LogLevel::error);  // keep the test output quiet; LogOnce still decides
    util::LogOnce once;
    CHECK(once.log(util::LogLevel::warn, "t", "dom-a", "broken"));
    CHECK_FALSE(once.log(util::LogLevel::warn, "t", "dom-a", "broken"));
    CHECK(once.log(util::LogLevel::warn, "t", "dom-a", "broken differently"));
    CHECK(once.log(util::LogLevel::warn, "t", "dom-b", "broken"));
    CHECK(once.clear("dom-a"));
    CHECK_FALSE(once.clear("dom-a"));
    CHECK(once.log(util::LogLevel::warn, "t", "dom-a", "broken differently"));
    util::set_log_level(saved);
}

TEST_CASE("a LogOnce is empty until a condition is logged and again once every condition has cleared")
{
    const auto saved = util::log_level();
    util::set_log_level(util::LogLevel::error);
    util::LogOnce once;
    CHECK(once.empty());
    once.log(util::LogLevel::warn, "t", "dom-a", "broken");
    once.log(util::LogLevel::warn, "t", "dom-b", "broken");
    CHECK_FALSE(once.empty());
    once.clear("dom-a");
    CHECK_FALSE(once.empty());
    once.clear("dom-b");
    CHECK(once.empty());
    util::set_log_level(saved);
}

TEST_CASE("an error chain joins nested exceptions outermost first")
{
    try {
        try {
            throw std::runtime_error("No such file");
        } catch (...) {
            std::throw_with_nested(std::runtime_error("reading /etc/x.yaml"));
        }
    } catch (const std::exception& e) {
        CHECK(util::error_chain(e) == "reading /etc/x.yaml: No such file");
    }
}
