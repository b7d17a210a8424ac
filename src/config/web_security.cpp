// exporter-toolkit's loader is strict (unknown keys fail), and so is this one: a typo in a security file
// must not leave an endpoint open.
#include "config/web_security.hpp"

#include <algorithm>
#include <yaml-cpp/yaml.h>

#include "config/internal.hpp"
#include "util/file.hpp"

namespace config {
namespace {

class WebSecurityLoader {
public:
    explicit WebSecurityLoader(const std::string& source) : source_(source)
    {
        const auto slash = source.rfind('/');
        folder_ = slash == std::string::npos ? "" : source.substr(0, slash + 1);
    }

    WebSecurity document(const YAML::Node& root)
    {
        WebSecurity out;
        if (root.IsNull()) return out;  // an empty file: plain HTTP, no auth, as exporter-toolkit
        if (!root.IsMap()) fail(root, "", "the top level must be a map");
        for (auto it = root.begin(); it != root.end(); ++it) {
            const std::string key = name(it->first);
            if (key == "tls_server_config") {
                if (!it->second.IsNull()) out.tls = tls(it->second);
            } else if (key == "basic_auth_users") {
                users(it->second, out.basic_auth_users);
            } else if (key == "http_server_config") {
                fail(it->first, key, "not supported by virt-exporter (HTTP/1.1 only, no custom headers); remove it");
            } else {
                fail(it->first, key, "unknown key");
            }
        }
        return out;
    }

private:
    TlsServerConfig tls(const YAML::Node& map)
    {
        if (!map.IsMap()) fail(map, "tls_server_config", "must be a map");
        TlsServerConfig t;
        // Words parsed after the required keys are checked, in the order the checks always had.
        std::optional<std::string> auth;
        std::string min_version = "TLS12";
        std::string max_version;  // empty: unset
        for (auto it = map.begin(); it != map.end(); ++it) {
            const std::string key = name(it->first);
            const std::string path = "tls_server_config." + key;
            // A copy: it->second lives in the iterator's proxy, which dies at the end of this statement.
            const YAML::Node v = it->second;
            if (key == "cert_file")
                t.cert_file = file(v, path);
            else if (key == "key_file")
                t.key_file = file(v, path);
            else if (key == "client_ca_file")
                t.client_ca_file = file(v, path);
            else if (key == "client_auth_type")
                auth = scalar(v, path);
            else if (key == "min_version")
                min_version = scalar(v, path);
            else if (key == "max_version")
                max_version = scalar(v, path);
            else if (key == "cipher_suites")
                t.cipher_suites = list(v, path);
            else if (key == "curve_preferences")
                t.curve_preferences = list(v, path);
            else if (key == "prefer_server_cipher_suites") {
                if (auto problem = detail::parse_bool(scalar(v, path), t.prefer_server_cipher_suites))
                    fail(v, path, *problem);
            } else if (key == "cert" || key == "key")
                fail(it->first, path, "inline certificates are not supported; use cert_file and key_file");
            else if (key == "client_allowed_sans")
                fail(it->first, path, "not supported by virt-exporter; restrict clients with client_ca_file");
            else
                fail(it->first, path, "unknown key");
        }
        if (t.cert_file.empty() || t.key_file.empty())
            fail(map, "tls_server_config", "cert_file and key_file are both required");
        if (auth) {
            const auto type = util::value_named<ClientAuth>(client_auth_names, *auth);
            if (!type)
                fail(map["client_auth_type"], "tls_server_config.client_auth_type",
                     "must be one of " + util::names_listed<ClientAuth>(client_auth_names));
            t.client_auth_type = *type;
        }
        const std::string auth_name(name_of(t.client_auth_type));
        const bool verifies = verifies_client_cert(t.client_auth_type);
        if (verifies && t.client_ca_file.empty())
            fail(map, "tls_server_config.client_ca_file", "is required with client_auth_type " + auth_name);
        if (!verifies && !t.client_ca_file.empty())
            fail(map["client_ca_file"], "tls_server_config.client_ca_file",
                 "is set, but client_auth_type " + auth_name + " does not verify client certificates");
        t.min_version = version(map, "min_version", min_version);
        if (!max_version.empty()) t.max_version = version(map, "max_version", max_version);
        if (t.min_version == TlsVersion::tls13 && t.max_version == TlsVersion::tls12)
            fail(map["max_version"], "tls_server_config.max_version", "is lower than min_version");
        return t;
    }

    // The specification asks for TLS 1.2 at least; an old file saying TLS10 gets a clear refusal.
    TlsVersion version(const YAML::Node& map, const std::string& key, const std::string& value)
    {
        const auto v = util::value_named<TlsVersion>(tls_version_names, value);
        if (!v) fail(map[key], "tls_server_config." + key, "must be TLS12 or TLS13 (older versions are not offered)");
        return *v;
    }

    void users(const YAML::Node& map, std::map<std::string, std::string>& out)
    {
        if (map.IsNull()) return;
        if (!map.IsMap()) fail(map, "basic_auth_users", "must be a map of user: bcrypt hash");
        for (auto it = map.begin(); it != map.end(); ++it) {
            const std::string user = name(it->first);
            const std::string path = "basic_auth_users." + user;
            if (user.empty() || user.find(':') != std::string::npos)
                fail(it->first, "basic_auth_users", "a user name must be non-empty and without ':'");
            if (!out.emplace(user, "").second) fail(it->first, path, "duplicate user");
            // The hash is never quoted: it is the one thing an attacker would want from a log.
            if (!it->second.IsScalar() || !is_bcrypt_hash(it->second.Scalar()))
                fail(it->second, path, "must be a bcrypt hash ($2y$, $2b$ or $2a$, e.g. from htpasswd -nBC 10)");
            out[user] = it->second.Scalar();
        }
    }

    std::string name(const YAML::Node& key)
    {
        if (!key.IsScalar()) fail(key, "", "keys must be plain names");
        return key.Scalar();
    }

    std::string scalar(const YAML::Node& v, const std::string& path)
    {
        if (!v.IsScalar()) fail(v, path, "must be a single value");
        return v.Scalar();
    }

    std::string file(const YAML::Node& v, const std::string& path)
    {
        std::string f = scalar(v, path);  // not const: returned, so moved
        if (f.empty() || f.front() == '/') return f;
        return folder_ + f;
    }

    std::vector<std::string> list(const YAML::Node& v, const std::string& path)
    {
        std::vector<std::string> out;
        if (v.IsNull()) return out;
        if (!v.IsSequence()) fail(v, path, "must be a list");
        for (std::size_t i = 0; i < v.size(); ++i) out.push_back(scalar(v[i], path + "[" + std::to_string(i) + "]"));
        return out;
    }

    [[noreturn]] void fail(const YAML::Node& n, const std::string& path, const std::string& problem) const
    {
        const std::string line = n.IsDefined() && !n.Mark().is_null() ? ":" + std::to_string(n.Mark().line + 1) : "";
        throw ConfigError(source_ + line + ": " + (path.empty() ? "" : path + ": ") + problem);
    }

    const std::string& source_;
    std::string folder_;
};

bool bcrypt_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
}

}  // namespace

bool is_bcrypt_hash(const std::string& h) noexcept
{
    if (h.size() != 60 || h[0] != '$' || h[1] != '2' || h[3] != '$' || h[6] != '$') return false;
    if (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') return false;
    if (h[4] < '0' || h[4] > '3' || h[5] < '0' || h[5] > '9') return false;
    const int cost = (h[4] - '0') * 10 + (h[5] - '0');
    if (cost < 4 || cost > 31) return false;
    return std::all_of(h.begin() + 7, h.end(), bcrypt_char);
}

WebSecurity parse_web_security(const std::string& yaml_text, const std::string& source)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::ParserException& e) {
        const std::string line = e.mark.is_null() ? "" : ":" + std::to_string(e.mark.line + 1);
        throw ConfigError(source + line + ": invalid YAML: " + e.msg);
    }
    return WebSecurityLoader(source).document(root);
}

WebSecurity load_web_security(const std::string& path)
{
    std::string error;
    const auto text = util::read_file(path, &error);
    if (!text) throw ConfigError("web config \"" + path + "\": cannot read: " + error);
    return parse_web_security(*text, path);
}

}  // namespace config
