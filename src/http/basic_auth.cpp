#include "http/basic_auth.hpp"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "util/c_handle.hpp"
#include "util/text.hpp"

namespace http {
namespace {

// A valid cost-10 hash of a password nobody sends: unknown users pay the same bcrypt as known ones.
constexpr const char* unknown_user_hash = "$2b$10$yQOl8IQ8CQ451X6NZDNIJOxqZ3.ZR93XlX5pQKpI3OFqbSxFKTGkS";
// The caches only ever hold digests; the bounds keep a flood of distinct passwords from growing memory.
constexpr std::size_t max_granted = 64;
constexpr std::size_t max_denied = 4096;

int base64_value(char c) noexcept
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Standard base64 with padding, nothing else accepted (as Go's base64.StdEncoding in exporter-toolkit).
std::optional<std::string> decode_base64(std::string_view in)
{
    if (in.empty() || in.size() % 4 != 0) return std::nullopt;
    std::string out;
    out.reserve(in.size() / 4 * 3);
    for (std::size_t i = 0; i < in.size(); i += 4) {
        const bool last = i + 4 == in.size();
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = in[i + k];
            if (c == '=' && last && k >= 2) {
                v[k] = 0;
                ++pad;
                continue;
            }
            if (pad > 0) return std::nullopt;  // data after padding
            if ((v[k] = base64_value(c)) < 0) return std::nullopt;
        }
        const unsigned bits = (unsigned(v[0]) << 18) | (unsigned(v[1]) << 12) | (unsigned(v[2]) << 6) | unsigned(v[3]);
        out += char((bits >> 16) & 0xff);
        if (pad < 2) out += char((bits >> 8) & 0xff);
        if (pad < 1) out += char(bits & 0xff);
    }
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

// crypt_ra allocates its work area; this frees it on every path.
bool bcrypt_matches(const std::string& password, const std::string& hash)
{
    void* area = nullptr;
    int size = 0;
    const char* out = crypt_ra(password.c_str(), hash.c_str(), &area, &size);
    const util::CHandle<void, std::free> owned(area);
    if (!out || out[0] == '*' || std::strlen(out) != hash.size()) return false;
    return CRYPTO_memcmp(out, hash.data(), hash.size()) == 0;
}

}  // namespace

std::optional<Credentials> parse_basic_authorization(std::string_view header)
{
    const auto space = header.find(' ');
    if (space == std::string_view::npos || !iequals(header.substr(0, space), "basic")) return std::nullopt;
    // The token follows one or more spaces (RFC 7235); trailing optional whitespace may hold tabs too.
    const std::string_view token = util::trim_end(util::trim_start(header.substr(space), " "), " \t");
    auto decoded = decode_base64(token);
    if (!decoded) return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos || decoded->find('\0') != std::string::npos) return std::nullopt;
    return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users) : users_(std::move(users)) {}

AuthResult BasicAuth::check(std::string_view authorization) const noexcept
{
    if (users_.empty()) return AuthResult::granted;
    try {
        const auto credentials = parse_basic_authorization(authorization);
        if (!credentials) return AuthResult::denied;
        return verify(*credentials);
    } catch (...) {
        return AuthResult::denied;  // out of memory: refusing is the safe answer
    }
}

AuthResult BasicAuth::verify(const Credentials& c) const
{
    const auto known = users_.find(c.user);
    const std::string& hash = known == users_.end() ? std::string(unknown_user_hash) : known->second;
    // The hash is part of the key, so a new hash for the same user never meets an old answer.
    std::string material = c.user;
    material.append(1, '\0').append(c.password).append(1, '\0').append(hash);
    Digest key{};
    unsigned int key_size = 0;
    if (!EVP_Digest(material.data(), material.size(), key.data(), &key_size, EVP_sha256(), nullptr))
        return AuthResult::denied;
    OPENSSL_cleanse(material.data(), material.size());
    {
        std::lock_guard lock(cache_mu_);
        if (granted_.count(key)) return AuthResult::granted;
        if (denied_.count(key)) return AuthResult::denied;
    }
    std::unique_lock bcrypt(bcrypt_mu_, std::defer_lock);
    if (!bcrypt.try_lock_for(std::chrono::milliseconds(200))) return AuthResult::busy;
    const bool ok = bcrypt_matches(c.password, hash) && known != users_.end();
    bcrypt.unlock();
    std::lock_guard lock(cache_mu_);
    auto& cache = ok ? granted_ : denied_;
    if (cache.size() >= (ok ? max_granted : max_denied)) cache.clear();
    cache.insert(key);
    return ok ? AuthResult::granted : AuthResult::denied;
}

}  // namespace http
