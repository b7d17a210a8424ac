// HTTP basic authentication against bcrypt hashes (exporter-toolkit's `basic_auth_users`).
//
// bcrypt is slow on purpose (~50-100 ms at cost 10), so: answers are cached by a SHA-256 of user,
// password and hash (granted and denied apart, so a flood of wrong passwords cannot evict the
// credentials Prometheus uses); at most one bcrypt runs at a time, and a request that cannot start one
// within 200 ms is answered "busy" instead of holding an HTTP thread — a flood of bad attempts costs at
// most one core and never delays a scrape whose credentials are cached. An unknown user costs a bcrypt
// too (against a fixed hash), so timing does not tell which users exist. Hashes are checked with
// libxcrypt's crypt_ra (no hand-written crypto); the result is compared in constant time.
//
// Thread-safety: check() is called from any number of HTTP threads at once. Throws: nothing but
// std::bad_alloc from the constructor.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace http {

struct Credentials {
    std::string user;
    std::string password;
};

// "Basic dXNlcjpwYXNz" → {user, pass} (RFC 7617: scheme case-insensitive, strict base64, the first ':'
// splits). nullopt for anything else, including a password with a NUL byte (crypt(3) would stop there).
std::optional<Credentials> parse_basic_authorization(std::string_view header);

enum class AuthResult { granted, denied, busy };

class BasicAuth {
public:
    explicit BasicAuth(std::map<std::string, std::string> users);  // user → bcrypt hash

    bool enabled() const noexcept { return !users_.empty(); }
    // The Authorization header of a request (empty when absent). Granted when no users are configured.
    AuthResult check(std::string_view authorization) const noexcept;

private:
    using Digest = std::array<unsigned char, 32>;
    AuthResult verify(const Credentials& c) const;

    std::map<std::string, std::string> users_;
    mutable std::mutex cache_mu_;
    mutable std::set<Digest> granted_;
    mutable std::set<Digest> denied_;
    mutable std::timed_mutex bcrypt_mu_;
};

}  // namespace http
