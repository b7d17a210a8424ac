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
//     is a working configuration file. Only for valid UTF-8 input (YAML is UTF-8 by definition):
//     rendering writes invalid UTF-8 as U+FFFD, so a file that has it does not print back byte for byte.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
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

// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
bool valid_utf8(std::string_view s)
{
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80             ? 1
                                : (c & 0xE0) == 0xC0 ? 2
                                : (c & 0xF0) == 0xE0 ? 3
                                : (c & 0xF8) == 0xF0 ? 4
                                                     : 0;
        if (len == 0 || i + len > s.size()) return false;
        std::uint32_t cp = len == 1 ? c : c & (0x7F >> len);
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        static constexpr std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    config::Config first;
    if (!load(text, "fuzz.yaml", first) || !valid_utf8(text)) return 0;

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
