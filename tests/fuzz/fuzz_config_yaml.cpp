// Fuzz target: the YAML configuration loader (src/config: config::apply_yaml, which load() calls with
// the file's content, then config::validate), and the --print-config rendering of what it accepted.
//
// Input: the YAML text of a configuration file (config/exporter.yaml and parts of it are the seeds).
//
// Checks:
//   - apply_yaml() and validate() either succeed or throw config::ConfigError naming the file; any other
//     exception (a yaml-cpp exception that escaped, std::out_of_range, ...), a crash or a sanitizer
//     report is a bug;
//   - a configuration that validates renders (to_yaml) into YAML that loads and validates again to the
//     same settings, secrets and a URL's password aside (they render as "***"): --print-config output
//     is a working configuration file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/internal.hpp"

namespace {

void fail(const char* what, const std::string& detail)
{
    std::fprintf(stderr, "fuzz_config_yaml: %s\n%s\n", what, detail.c_str());
    std::abort();
}

// Loads and validates; false on a ConfigError, whose message must name the source.
bool load(const std::string& text, const char* source, config::Config& out)
{
    std::vector<std::string> warnings;
    try {
        out = config::apply_yaml(config::Config{}, text, source, &warnings);
        config::validate(out);
        return true;
    } catch (const config::ConfigError& e) {
        const std::string message = e.what();
        if (message.empty()) fail("a ConfigError without a message", text);
        return false;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        fail((std::string("an exception other than ConfigError: ") + e.what()).c_str(), text);
    } catch (...) {
        fail("a non-std exception", text);
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    config::Config first;
    if (!load(text, "fuzz.yaml", first)) return 0;

    const std::string rendered = config::to_yaml(first);
    (void)config::to_json(first);
    config::Config second;
    if (!load(rendered, "rendered.yaml", second)) fail("to_yaml() output does not load", rendered);
    // What rendering cannot carry: secrets print as "***" (or "" when empty), the URL's password masked.
    config::Config want = first;
    if (!want.push.password.empty()) want.push.password = "***";
    if (!want.push.token.empty()) want.push.token = "***";
    want.push.url = config::detail::mask_url(want.push.url);
    if (!want.same_settings(second)) fail("to_yaml() output loads to different settings", rendered);
    return 0;
}
