// The settings typed once: each enum's one name table parses and prints, an unknown word is refused with
// the message it always had, and a higher-precedence source may still replace a word that names nothing.
#include "support/config_helpers.hpp"

#include "config/internal.hpp"

using config_test::error_of;
using config_test::fake_env;
using config_test::FakeEnv;
using config_test::from_yaml;
using config_test::yaml_error;

namespace {

// Every name of the table parses to its value, and that value prints as its first name.
template <class E>
void check_round_trip(std::span<const util::Named<E>> table)
{
    REQUIRE_FALSE(table.empty());
    for (const auto& [value, name] : table) {
        CAPTURE(name);
        CHECK(util::value_named(table, name) == value);
        CHECK(util::value_named(table, config::name_of(value)) == value);
    }
}

}  // namespace

TEST_CASE("every name of every setting's table parses to its value and prints back the same")
{
    check_round_trip(config::names(config::PushApi{}));
    check_round_trip(config::names(config::Precision{}));
    check_round_trip(config::names(config::ClientAuth{}));
    check_round_trip(config::names(config::TlsVersion{}));
    check_round_trip(config::names(util::LogLevel{}));
    check_round_trip(config::names(virt::StatsGroup{}));
    CHECK(config::name_of(config::PushApi::v3) == "v3");
    CHECK(config::name_of(config::Precision::us) == "us");
    CHECK(config::name_of(config::ClientAuth::verify_if_given) == "VerifyClientCertIfGiven");
    CHECK(config::name_of(virt::stats_cpu_total) == "cpu_total");
}

TEST_CASE("an alias parses but is neither printed nor listed")
{
    const auto c = from_yaml("log:\n  level: warning\n");
    CHECK(c.log.level == util::LogLevel::warn);
    CHECK(config::to_yaml(c).find("level: \"warn\"\n") != std::string::npos);
    CHECK(util::names_listed(config::names(util::LogLevel{})) == "debug, info, warn, error");
}

TEST_CASE("a word no table has is refused with the message and place it always had")
{
    CHECK(yaml_error("push:\n  api: V2\n") == "/x.yaml:2: push.api: must be one of v1, v2, v3, got \"V2\"");
    CHECK(yaml_error("push:\n  precision: \"ns\\n\"\n") ==
          "/x.yaml:2: push.precision: must be one of ns, us, ms, s, got \"ns\n\"");
    CHECK(yaml_error("log:\n  level: \"\"\n") ==
          "/x.yaml:2: log.level: must be one of debug, info, warn, error, got \"\"");
    FakeEnv env({{"INFLUX_API", "v2; DROP"}});
    CHECK(error_of([] { config::load(config::Flags{}, fake_env); }) ==
          "environment INFLUX_API: must be one of v1, v2, v3, got \"v2; DROP\"");
}

TEST_CASE("a higher-precedence source replaces a word that named nothing, as the text setting did")
{
    auto c = from_yaml("push:\n  api: v9\n  vmid_regex: \"(\"\nlog:\n  level: loud\n");
    CHECK(c.unparsed.size() == 3);
    {
        FakeEnv env({{"INFLUX_API", "v3"}});
        config::detail::apply_environment(c, fake_env);
    }
    CHECK(c.push.api == config::PushApi::v3);
    config::Flags flags;
    flags.log_level = "error";
    config::detail::apply_flags(c, flags);
    CHECK(c.log.level == util::LogLevel::error);
    // The pattern has no higher source: it is what validate() reports, on its line.
    CHECK(error_of([&] { config::validate(c); }).starts_with("/x.yaml:3: push.vmid_regex: invalid regular expression"));
}

TEST_CASE("only the first unknown stats group of a list is reported, and a new list forgets it")
{
    CHECK(yaml_error("libvirt:\n  stats_groups: [state, cpus, vcpus]\n") ==
          "/x.yaml:2: libvirt.stats_groups[1]: must be one of state, cpu_total, balloon, vcpu, interface, block, "
          "perf, iothread, memory, dirtyrate, vm, vcpu_placement, block_iotune, got \"cpus\"");
    auto c = from_yaml("libvirt:\n  stats_groups: [cpus]\n");
    c = config::apply_yaml(c, "libvirt:\n  stats_groups: [vm, state]\n", "/y.yaml");
    CHECK_NOTHROW(config::validate(c));
    CHECK(c.libvirt.stats_groups == (virt::stats_state | virt::stats_vm));
    CHECK(config::to_json(c).find("\"stats_groups\":[\"state\",\"vm\"]") != std::string::npos);
}

TEST_CASE("the vmid pattern is compiled once and copies share it")
{
    config::Pattern p;
    CHECK(p.text() == "^one-(\\d+)$");
    CHECK(config::Pattern::compile("^vm-(\\d+)$", p) == std::nullopt);
    const config::Pattern copy = p;
    CHECK(copy.regex() == p.regex());
    CHECK(copy == p);
    CHECK(config::Pattern::compile("[", p).value_or("").starts_with("invalid regular expression \"[\": "));
    CHECK(p.text() == "^vm-(\\d+)$");  // a failed compile keeps the old pattern
}

TEST_CASE("what each client_auth_type asks of the handshake")
{
    using config::ClientAuth;
    CHECK_FALSE(config::asks_for_client_cert(ClientAuth::none));
    CHECK(config::asks_for_client_cert(ClientAuth::request));
    CHECK_FALSE(config::requires_client_cert(ClientAuth::request));
    CHECK(config::requires_client_cert(ClientAuth::require_any));
    CHECK_FALSE(config::verifies_client_cert(ClientAuth::require_any));
    CHECK(config::verifies_client_cert(ClientAuth::verify_if_given));
    CHECK(config::requires_client_cert(ClientAuth::require_and_verify));
    CHECK(config::verifies_client_cert(ClientAuth::require_and_verify));
}

TEST_CASE("push.measurements: all seven by default, a list picks some, an unknown or no name stops the start")
{
    CHECK(config::Config{}.push.measurements == config::all_measurements);
    const auto c = from_yaml("push:\n  measurements: [vm_metrics, vm_features, vm_devices, vm_totals]\n");
    CHECK_NOTHROW(config::validate(c));
    CHECK(c.push.measurements ==
          (config::m_vm_metrics | config::m_vm_features | config::m_vm_devices | config::m_vm_totals));
    CHECK(config::to_json(c).find("\"measurements\":[\"vm_metrics\",\"vm_features\",\"vm_devices\",\"vm_totals\"]") !=
          std::string::npos);
    CHECK(yaml_error("push:\n  measurements: [vm_metrics, vm_vcpu]\n") ==
          "/x.yaml:2: push.measurements[1]: must be one of vm_metrics, vm_features, vm_devices, vm_totals, vm_vcpus, "
          "vm_extra, storage_pools, got \"vm_vcpu\"");
    CHECK(yaml_error("push:\n  measurements: []\n") ==
          "/x.yaml:2: push.measurements: must list at least one measurement");
    CHECK(yaml_error("push:\n  extra_tags: {vcpu: a}\n") ==
          "/x.yaml:2: push.extra_tags.vcpu: \"vcpu\" is vm_vcpus's tag: leave vm_vcpus out of push.measurements to set "
          "it "
          "here");
    CHECK_NOTHROW(config::validate(from_yaml("push:\n  measurements: [vm_metrics]\n  extra_tags: {vcpu: a}\n")));
}
