// The effective configuration: plain structs with built-in defaults, filled from (lowest to highest
// precedence) the YAML file, the environment, and command-line flags.
//
// Throws: load()/parse_flags()/apply_yaml()/validate() throw ConfigError, whose what() names the source
// and what is wrong: `<file>:<line>: <key.path>: <problem>` for YAML values, `environment NAME: <problem>`
// and `flag --name: <problem>` for the others; main() prints it and exits with code 2.
// Secrets (tokens, passwords) never appear in a ConfigError message, a warning, or to_yaml()/to_json().
//
// YAML layout mirrors the structs (`push.batch_max_lines`, ...). Durations are seconds (5, 2.5) or a
// number with a unit ("500ms", "10s", "5m", "1h", "1m30s"); sizes are bytes or "512MiB", "1GiB", "10GB".
// config/exporter.yaml documents every key; its test keeps it equal to the defaults below.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/choices.hpp"

namespace config {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A regular expression (ECMAScript) checked and compiled once, when its setting is read; copies share
// the compiled form, which is immutable and safe to use from any thread.
class Pattern {
public:
    // The problem ("invalid regular expression \"...\": ...") or nullopt; never throws but std::bad_alloc.
    static std::optional<std::string> compile(const std::string& text, Pattern& out);
    Pattern();  // "^one-(\\d+)$", OpenNebula's VM names (push.vmid_regex's default)

    const std::string& text() const noexcept { return text_; }
    const std::shared_ptr<const std::regex>& regex() const noexcept { return regex_; }
    friend bool operator==(const Pattern& a, const Pattern& b) { return a.text_ == b.text_; }

private:
    std::string text_;
    std::shared_ptr<const std::regex> regex_;
};

struct LibvirtConfig {
    std::string uri = "qemu:///system";
    bool read_only = true;
    std::chrono::seconds timeout{10};                    // LIBVIRT_TIMEOUT: budget of one collection's libvirt calls
    unsigned stats_groups = virt::default_stats_groups;  // virt::StatsGroup bits; a list of names in YAML
    bool nowait = true;
    unsigned parallel = 4;  // connections a collection is split over (1: one bulk call); see bench/README.md
    // Which domains are collected, for both sinks and /api/vms: those whose name or UUID matches one of
    // `include` (every domain when it is empty) and none of `exclude`, each pattern matching the whole
    // name or UUID. A filtered domain costs nothing beyond the listing.
    struct Domains {
        std::vector<Pattern> include;
        std::vector<Pattern> exclude;
        friend bool operator==(const Domains&, const Domains&) = default;
    } domains;
    bool inactive = true;                        // shut-off and defined domains are listed too
    std::chrono::seconds device_cache_ttl{300};  // DEVICE_CACHE_TTL; also how long a pool's XML is reused
    // Storage pools (libvirt_storage_pool_*, the storage_pools measurement), collected on their own thread
    // every storage_pools_interval (collect/pool_collector.hpp).
    bool storage_pools = true;
    std::chrono::seconds storage_pools_interval{15};
    // Guest filesystems through the QEMU guest agent (libvirt_domain_guest_*, vm_devices devtype=fs):
    // virDomainGetGuestInfo needs a read-write connection, opened only when enabled, on its own thread
    // every `interval` per running domain (collect/guest_agent_collector.hpp).
    struct GuestAgent {
        bool enabled = false;
        std::chrono::seconds interval{60};
        friend bool operator==(const GuestAgent&, const GuestAgent&) = default;
    } guest_agent;
    std::chrono::seconds keepalive_interval{5};
    unsigned keepalive_count = 5;
    std::chrono::milliseconds reconnect_backoff_min{1000};
    std::chrono::milliseconds reconnect_backoff_max{60000};

    friend bool operator==(const LibvirtConfig&, const LibvirtConfig&) = default;
};

struct WebConfig {
    std::vector<std::string> listen_addresses{":9177"};
    std::string telemetry_path = "/metrics";
    // A further path answering as /healthz does (inovex's --web.health-path, "/health" in its DaemonSet);
    // empty: none.
    std::string health_path;
    std::string config_file;  // exporter-toolkit web-config.yml; empty: plain HTTP, no auth
    std::chrono::milliseconds scrape_timeout{10000};
    std::chrono::milliseconds max_snapshot_age{1000};  // scrapes closer together share a collection
    // Connections served at once: CivetWeb's worker threads, one per connection from accept to close,
    // all created at start. Each costs RSS and an fd (README "Crowds of clients" has the figures).
    unsigned max_connections = 2048;
    // Longest a client may take to send a request's headers (and for the TLS handshake before them),
    // and longest a response write may stall: a silent or slow client holds its worker that long.
    std::chrono::milliseconds request_timeout{5000};
    // Longest an idle kept-alive connection waits for its next request (and holds its worker).
    std::chrono::milliseconds keep_alive_timeout{30000};

    friend bool operator==(const WebConfig&, const WebConfig&) = default;
};

// push.v3: query parameters of InfluxDB 3's /api/v3/write_lp, sent only when they differ from the server's
// defaults (written here), so a default configuration sends the request InfluxDB 3 has always had. Set to
// anything else with another push.api, they are refused at start (validate()).
struct PushV3Config {
    bool no_sync = false;        // true: acknowledged before the WAL is persisted (faster, may lose a write)
    bool accept_partial = true;  // false: one bad line rejects the whole batch

    friend bool operator==(const PushV3Config&, const PushV3Config&) = default;
};

struct PushConfig {
    std::optional<bool> enabled;  // unset: on when url is set
    std::string url;              // INFLUX_URL, e.g. http://127.0.0.1:8086
    // Several URLs in order of preference, failed over between (influx/failover.hpp); exclusive with url.
    std::vector<std::string> urls;
    PushApi api = PushApi::v1;  // INFLUX_API
    std::string database;       // INFLUX_DB (v1, v3)
    std::string retention_policy;
    std::string org;     // INFLUX_ORG (v2)
    std::string bucket;  // v2; defaults to database when empty
    std::string username;
    std::string password;  // secret
    std::string
        password_file;       // read at load time into password (wins over a password from the same or a lower source)
    std::string token;       // INFLUX_TOKEN; secret
    std::string token_file;  // read at load time into token (same rule as password_file)
    Precision precision = Precision::ns;
    std::chrono::milliseconds interval{5000};       // POLL_INTERVAL (seconds in env)
    std::size_t batch_max_lines = 5000;             // BATCH_MAX_LINES
    std::chrono::milliseconds batch_max_sec{1000};  // BATCH_MAX_SEC (seconds)
    std::size_t buffer_max_lines = 100000;
    bool gzip = true;
    std::chrono::milliseconds timeout{10000};  // one HTTP request
    std::string spool_dir;                     // empty: no spool
    std::uint64_t spool_max_bytes = 1ull << 30;
    std::chrono::milliseconds shutdown_timeout{10000};
    std::chrono::milliseconds retry_backoff_min{1000};
    std::chrono::milliseconds retry_backoff_max{60000};
    Pattern vmid_regex;
    std::string host_tag;  // empty: the hypervisor's hostname
    std::map<std::string, std::string> extra_tags;
    // Measurement bits (a list of names in YAML): what each push writes; default all seven. A deployment
    // that wants only the seed's four lists vm_metrics, vm_features, vm_devices, vm_totals.
    unsigned measurements = all_measurements;
    std::string tls_ca_file;
    bool tls_insecure_skip_verify = false;
    // Client certificate (PEM, leaf first) and its unencrypted key for servers that require one: both or
    // neither, readable at load(); libcurl reads them again at each new connection.
    std::string tls_cert_file;
    std::string tls_key_file;
    // Proxy URL (http://, https://, socks4://, socks4a://, socks5://, socks5h://; may carry user:password,
    // masked wherever it is shown). Empty: libcurl's environment (http_proxy, https_proxy, no_proxy).
    std::string proxy;
    // Comma-separated hosts, domains or CIDRs reached without a proxy ("*": none at all, also no
    // environment proxy). Empty: the environment's no_proxy, if any.
    std::string no_proxy;
    PushV3Config v3;

    // The write URLs: urls, or url alone (empty when neither is set).
    std::vector<std::string> endpoints() const { return !urls.empty() ? urls : url.empty() ? urls : std::vector{url}; }
    bool active() const { return enabled.value_or(!endpoints().empty()) && !endpoints().empty(); }

    friend bool operator==(const PushConfig&, const PushConfig&) = default;
};

struct LogConfig {
    util::LogLevel level = util::LogLevel::info;
    util::LogFormat format = util::LogFormat::logfmt;

    friend bool operator==(const LogConfig&, const LogConfig&) = default;
};

struct Config {
    LibvirtConfig libvirt;
    WebConfig web;
    PushConfig push;
    LogConfig log;
    std::string source_file;  // the YAML file it came from; empty when none
    // Where each explicitly set value came from, as messages print it: key path ("push.interval",
    // "web.listen_addresses[1]", "push.extra_tags.rack") → "/etc/x.yaml:12: push.interval",
    // "environment POLL_INTERVAL" or "flag --libvirt.uri". validate() places its messages with it.
    std::map<std::string, std::string> origins;
    // Settings whose text did not parse into their type, key path → the problem ("push.api" → "must be
    // one of v1, v2, v3, got \"v9\""; a list item as "libvirt.stats_groups[1]", the first bad item only).
    // The setting keeps its previous value; a higher-precedence source setting it again clears the entry,
    // and validate() reports what is left, where it checks that setting.
    std::map<std::string, std::string> unparsed;

    // The settings only (not source_file or origins).
    bool same_settings(const Config& o) const
    {
        return libvirt == o.libvirt && web == o.web && push == o.push && log == o.log;
    }
};

// What the command line asked for besides config values.
struct Flags {
    std::string config_file;  // --config
    bool check_config = false;
    bool print_config = false;
    bool version = false;
    bool once = false;
    bool help = false;
    // Overrides, applied last (highest precedence).
    std::optional<std::string> listen_address;   // --web.listen-address (may repeat: comma list)
    std::optional<std::string> web_config_file;  // --web.config.file
    std::optional<std::string> libvirt_uri;      // --libvirt.uri
    std::optional<std::string> log_level;        // --log.level
    // The Go exporters' flags (README "Migrating from the Go exporters"), applied by go_exporter_flags.cpp
    // to the settings their YAML keys set; the text is parsed there, as the YAML value would be.
    std::optional<std::string> telemetry_path;           // --web.telemetry-path → web.telemetry_path
    std::optional<std::string> health_path;              // --web.health-path → web.health_path ("" allowed)
    std::optional<std::string> log_format;               // --log.format → log.format
    std::optional<std::string> libvirt_driver;           // --libvirt.driver: what a socket-path --libvirt.uri opens
    std::optional<std::string> exporter_timeout;         // --exporter.timeout → libvirt.timeout
    std::optional<std::string> max_concurrent_collects;  // --exporter.max-concurrent-collects → libvirt.parallel
    bool export_nova_metadata = false;                   // --libvirt.export-nova-metadata: accepted, no effect
};

// Parses argv (both "--flag value" and "--flag=value"; the Go exporters' boolean flags as "--flag",
// "--flag=true|false" and "--no-flag"). Throws ConfigError naming the flag for an unknown flag, a missing
// value, a value given to a flag that takes none, or a Go exporter's flag that cannot be honoured (with why).
Flags parse_flags(int argc, const char* const argv[]);
std::string usage_text();

// Environment lookup, injectable for tests (returns nullopt when unset).
using Getenv = std::optional<std::string> (*)(const char* name);
std::optional<std::string> process_getenv(const char* name);

// defaults → file (flags.config_file, if given) → environment → flags; then reads token_file and
// password_file, defaults push.bucket to push.database (v2), and validate()s. Unknown keys are warned about
// (with file:line) via util::log_warn("config", ...) and appended to *warnings; not fatal.
// Throws ConfigError: unreadable config/secret file, YAML syntax or type error, bad env value, invalid value.
Config load(const Flags& flags, Getenv getenv = process_getenv, std::vector<std::string>* warnings = nullptr);

// Parses YAML text on top of `base` (source_name is used in messages and origins). Does not validate
// ranges or read files. Unknown keys go to *warnings. Throws ConfigError for a syntax error, a value of
// the wrong type (with file:line and key path), or a duplicate key.
Config apply_yaml(Config base, const std::string& yaml_text, const std::string& source_name,
                  std::vector<std::string>* warnings = nullptr);

// Throws ConfigError for the first invalid value (bad URL, negative/zero interval, unknown group, ...),
// placed by config.origins; cross-field rules too (database/org required when push is active).
void validate(const Config& config);

// The effective configuration with secrets replaced by "***".
std::string to_yaml(const Config& config);
std::string to_json(const Config& config);

// A setting that existing deployments set by environment variable (LIBVIRT_URI, INFLUX_URL, ...).
struct EnvSetting {
    std::string env;         // "POLL_INTERVAL"
    std::string path;        // "push.interval"
    std::string json_value;  // as to_json renders it: a JSON token ("5", "\"v1\"", "\"***\"" for a secret)
};
// Every setting with an environment variable of the seed collector (not the VIRT_EXPORTER_* ones), in
// the field table's order (its config answer, /api/telemetry/config, is keyed by these names). Throws
// only std::bad_alloc.
std::vector<EnvSetting> env_settings(const Config& config);

}  // namespace config
