// load(): the sources in precedence order, then what needs the merged result (secret files, the
// bucket default, the files other components will open), then validate().
#include "config/internal.hpp"
#include "util/file.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace config {
namespace {

using detail::where;

// Reads *_file into its secret unless a higher-precedence source set the secret itself (INFLUX_TOKEN
// beats a token_file from the YAML file; within the file, token_file beats token).
void read_secret_file(Config& c, std::string& secret, const std::string& secret_key, const std::string& file,
                      const std::string& file_key)
{
    if (file.empty() || detail::origin_rank(c, secret_key) > detail::origin_rank(c, file_key)) return;
    std::string error;
    std::optional<std::string> text = util::read_file(file, &error);
    if (!text) throw ConfigError(where(c, file_key) + ": cannot read \"" + file + "\": " + error);
    text->resize(util::trim_end(*text, "\r\n").size());
    if (text->empty()) throw ConfigError(where(c, file_key) + ": \"" + file + "\" is empty");
    secret = std::move(*text);
    detail::set_origin(c, secret_key, where(c, file_key));
}

// "***" is what --print-config shows for a secret; fed back as a config file it would become the
// password. Refuse it rather than fail later with an authentication error.
void reject_mask(const Config& c, const std::string& secret, const std::string& key, const std::string& file_key)
{
    if (secret == "***")
        throw ConfigError(where(c, key) +
                          ": is \"***\", the mask --print-config shows, not a secret; set the real "
                          "value or " +
                          file_key);
}

// Files that other components open later: fail now, at start, with the line that named them.
void require_readable(const Config& c, const std::string& file, const std::string& key)
{
    std::string error;
    if (!file.empty() && !util::read_file(file, &error))
        throw ConfigError(where(c, key) + ": cannot read \"" + file + "\": " + error);
}

}  // namespace

Config load(const Flags& flags, Getenv getenv, std::vector<std::string>* warnings)
{
    Config c;
    std::vector<std::string> found;
    if (!flags.config_file.empty()) {
        std::string error;
        const auto text = util::read_file(flags.config_file, &error);
        if (!text) throw ConfigError("cannot read config file " + flags.config_file + ": " + error);
        c = apply_yaml(std::move(c), *text, flags.config_file, &found);
        c.source_file = flags.config_file;
    }
    for (const auto& w : found) util::log_warn("config", w);
    if (warnings) warnings->insert(warnings->end(), found.begin(), found.end());

    detail::apply_environment(c, getenv);
    detail::apply_flags(c, flags);

    read_secret_file(c, c.push.token, "push.token", c.push.token_file, "push.token_file");
    read_secret_file(c, c.push.password, "push.password", c.push.password_file, "push.password_file");
    reject_mask(c, c.push.token, "push.token", "push.token_file");
    reject_mask(c, c.push.password, "push.password", "push.password_file");
    require_readable(c, c.web.config_file, "web.config_file");
    require_readable(c, c.push.tls_ca_file, "push.tls_ca_file");
    require_readable(c, c.push.tls_cert_file, "push.tls_cert_file");
    require_readable(c, c.push.tls_key_file, "push.tls_key_file");
    if (c.push.api == PushApi::v2 && c.push.bucket.empty()) c.push.bucket = c.push.database;

    validate(c);
    return c;
}

}  // namespace config
