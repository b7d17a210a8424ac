// Test support for the config tests: an injectable environment, catching the message of a ConfigError,
// and YAML text applied to a Config.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace config_test {

// config::Getenv is a plain function pointer, so the fake environment is a global the test sets.
inline std::map<std::string, std::string>& env_vars()
{
    static std::map<std::string, std::string> vars;
    return vars;
}

inline std::optional<std::string> fake_env(const char* name)
{
    const auto it = env_vars().find(name);
    if (it == env_vars().end()) return std::nullopt;
    return it->second;
}

inline std::optional<std::string> no_env(const char*)
{
    return std::nullopt;
}

// Sets the fake environment for one test; clears it again on the way out.
struct FakeEnv {
    FakeEnv(std::initializer_list<std::pair<const std::string, std::string>> vars) { env_vars() = vars; }
    ~FakeEnv() { env_vars().clear(); }
    FakeEnv(const FakeEnv&) = delete;
    FakeEnv& operator=(const FakeEnv&) = delete;
};

// The what() of the ConfigError that f throws; fails the test when it throws nothing.
template <class F>
std::string error_of(F&& f)
{
    try {
        f();
    } catch (const config::ConfigError& e) {
        return e.what();
    }
    FAIL_CHECK("expected a ConfigError");
    return "";
}

// Flags naming only a configuration file, as `--config PATH`.
inline config::Flags with_file(const std::string& path)
{
    config::Flags f;
    f.config_file = path;
    return f;
}

inline config::Config from_yaml(const std::string& text, std::vector<std::string>* warnings = nullptr)
{
    return config::apply_yaml(config::Config{}, text, "/x.yaml", warnings);
}

// apply_yaml then validate(), returning the error message.
inline std::string yaml_error(const std::string& text)
{
    return error_of([&] { config::validate(from_yaml(text)); });
}

// parse_flags() of the arguments after the program name.
inline config::Flags parse_args(std::vector<const char*> args)
{
    args.insert(args.begin(), "virt-exporter");
    return config::parse_flags(static_cast<int>(args.size()), args.data());
}

}  // namespace config_test
