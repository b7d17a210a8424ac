// Range, format and cross-field checks. Each message starts with where the value came from (the
// origin recorded by the loaders: file:line and key, environment variable, or flag), so the operator
// can go straight to the line. Secrets are never quoted: no check here looks at token or password.
#include <algorithm>

#include "config/internal.hpp"

namespace config {
namespace {

using detail::format_seconds;

// More connections than libvirtd has workers (max_workers, 20 by default) only queue.
constexpr unsigned max_parallel = 16;
// CivetWeb's own ceiling on worker threads (MAX_WORKER_THREADS in civetweb.c 1.15).
constexpr unsigned max_connections_limit = 65536;
// Tags every line already carries; an extra tag with one of these names would make a second value.
constexpr const char* reserved_tags[] = {"VMID", "name", "uuid", "host", "devtype", "device"};

class Checker {
public:
    explicit Checker(const Config& c) : c_(c) {}

    void require(bool ok, const std::string& key, const std::string& problem) const
    {
        if (!ok) throw ConfigError(detail::where(c_, key) + ": " + problem);
    }
    void positive(std::chrono::milliseconds v, const std::string& key) const
    {
        require(v.count() > 0, key, "must be > 0, got " + format_seconds(v.count()));
    }
    void not_negative(std::chrono::milliseconds v, const std::string& key) const
    {
        require(v.count() >= 0, key, "must be >= 0, got " + format_seconds(v.count()));
    }
    void at_least(std::chrono::milliseconds v, std::chrono::milliseconds min, const std::string& key,
                  const std::string& min_key) const
    {
        require(v >= min, key,
                "must be >= " + min_key + " (" + format_seconds(min.count()) + "), got " + format_seconds(v.count()));
    }
    // A setting whose text named no value (Config::unparsed); for a list, its first bad item.
    void parsed(const std::string& key) const
    {
        const auto& u = c_.unparsed;
        if (const auto it = u.find(key); it != u.end()) require(false, key, it->second);
        if (const auto it = u.lower_bound(key + "["); it != u.end() && it->first.starts_with(key + "["))
            require(false, it->first, it->second);
    }

private:
    const Config& c_;
};

void check_libvirt(const Checker& ck, const LibvirtConfig& l)
{
    ck.require(!l.uri.empty(), "libvirt.uri", "must not be empty");
    ck.positive(l.timeout, "libvirt.timeout");
    ck.parsed("libvirt.stats_groups");
    ck.parsed("libvirt.domains.include");
    ck.parsed("libvirt.domains.exclude");
    ck.require(l.stats_groups != 0, "libvirt.stats_groups", "must list at least one group");
    ck.require(l.parallel >= 1 && l.parallel <= max_parallel, "libvirt.parallel",
               "must be between 1 and " + std::to_string(max_parallel) + ", got " + std::to_string(l.parallel));
    ck.not_negative(l.device_cache_ttl, "libvirt.device_cache_ttl");
    ck.positive(l.storage_pools_interval, "libvirt.storage_pools_interval");
    ck.positive(l.guest_agent.interval, "libvirt.guest_agent.interval");
    ck.not_negative(l.keepalive_interval, "libvirt.keepalive_interval");  // 0 turns keepalive off
    ck.positive(l.reconnect_backoff_min, "libvirt.reconnect_backoff_min");
    ck.at_least(l.reconnect_backoff_max, l.reconnect_backoff_min, "libvirt.reconnect_backoff_max",
                "libvirt.reconnect_backoff_min");
}

void check_web(const Checker& ck, const WebConfig& w)
{
    ck.require(!w.listen_addresses.empty(), "web.listen_addresses", "must list at least one address");
    for (std::size_t i = 0; i < w.listen_addresses.size(); ++i) {
        const auto problem = detail::listen_address_problem(w.listen_addresses[i]);
        ck.require(!problem, "web.listen_addresses[" + std::to_string(i) + "]", problem.value_or(""));
    }
    const auto& p = w.telemetry_path;
    const bool path_ok = p.size() > 1 && p.front() == '/' && p.find_first_of(" \t\r\n?#") == std::string::npos;
    ck.require(path_ok, "web.telemetry_path",
               "must be a path like \"/metrics\" (not \"/\", which is the landing page), got \"" + p + "\"");
    const auto& h = w.health_path;
    const bool health_ok =
        h.empty() || (h.size() > 1 && h.front() == '/' && h.find_first_of(" \t\r\n?#") == std::string::npos && h != p);
    ck.require(health_ok, "web.health_path",
               "must be empty or a path like \"/health\", other than \"/\" and web.telemetry_path, got \"" + h + "\"");
    ck.positive(w.scrape_timeout, "web.scrape_timeout");
    ck.not_negative(w.max_snapshot_age, "web.max_snapshot_age");
    ck.require(w.max_connections >= 1 && w.max_connections <= max_connections_limit, "web.max_connections",
               "must be between 1 and " + std::to_string(max_connections_limit) + ", got " +
                   std::to_string(w.max_connections));
    // CivetWeb takes both in whole milliseconds; 0 would time every request out before it is read.
    ck.positive(w.request_timeout, "web.request_timeout");
    ck.positive(w.keep_alive_timeout, "web.keep_alive_timeout");
}

// Client certificate, proxy, and the options only one write API has.
void check_push_transport(const Checker& ck, const PushConfig& p)
{
    ck.require(p.tls_cert_file.empty() == p.tls_key_file.empty(),
               p.tls_cert_file.empty() ? "push.tls_key_file" : "push.tls_cert_file",
               "needs " + std::string(p.tls_cert_file.empty() ? "push.tls_cert_file" : "push.tls_key_file") +
                   " too (a client certificate is its certificate and key)");
    if (!p.proxy.empty()) {
        const auto problem = detail::proxy_url_problem(p.proxy);
        ck.require(!problem, "push.proxy", problem.value_or(""));
    }
    ck.require(std::none_of(p.no_proxy.begin(), p.no_proxy.end(), [](char c) { return c == '\n' || c == '\r'; }),
               "push.no_proxy", "must be one line: hosts, domains or CIDRs separated by commas");
    // A v3 query parameter set away from its default would be silently ignored by v1 and v2.
    if (p.api == PushApi::v3) return;
    const PushV3Config v3_defaults;
    const std::string why = "is an option of push.api v3 (a query parameter of /api/v3/write_lp), but push.api is " +
                            std::string(name_of(p.api)) + ": remove it or set push.api: v3";
    ck.require(p.v3.no_sync == v3_defaults.no_sync, "push.v3.no_sync", why);
    ck.require(p.v3.accept_partial == v3_defaults.accept_partial, "push.v3.accept_partial", why);
}

void check_push(const Checker& ck, const PushConfig& p)
{
    if (!p.url.empty()) {
        const auto problem = detail::url_problem(p.url);
        ck.require(!problem, "push.url", problem.value_or(""));
    }
    ck.parsed("push.api");
    ck.parsed("push.precision");
    ck.parsed("push.measurements");
    ck.require(p.measurements != 0, "push.measurements", "must list at least one measurement");
    ck.positive(p.interval, "push.interval");
    ck.require(p.batch_max_lines > 0, "push.batch_max_lines", "must be > 0, got 0");
    ck.positive(p.batch_max_sec, "push.batch_max_sec");
    ck.require(p.buffer_max_lines >= p.batch_max_lines, "push.buffer_max_lines",
               "must be >= push.batch_max_lines (" + std::to_string(p.batch_max_lines) + "), got " +
                   std::to_string(p.buffer_max_lines));
    ck.positive(p.timeout, "push.timeout");
    ck.require(p.spool_max_bytes > 0, "push.spool_max_bytes", "must be > 0, got 0");
    ck.not_negative(p.shutdown_timeout, "push.shutdown_timeout");
    ck.positive(p.retry_backoff_min, "push.retry_backoff_min");
    ck.at_least(p.retry_backoff_max, p.retry_backoff_min, "push.retry_backoff_max", "push.retry_backoff_min");
    ck.parsed("push.vmid_regex");
    for (const auto& [key, value] : p.extra_tags) {
        const std::string path = "push.extra_tags." + key;
        ck.require(!key.empty(), path, "tag name must not be empty");
        ck.require(std::find(std::begin(reserved_tags), std::end(reserved_tags), key) == std::end(reserved_tags), path,
                   "\"" + key + "\" is a built-in tag and cannot be set here");
        ck.require(key != "vcpu" || !(p.measurements & m_vm_vcpus), path,
                   "\"vcpu\" is vm_vcpus's tag: leave vm_vcpus out of push.measurements to set it here");
        ck.require(!value.empty(), path, "must not be empty (line protocol has no empty tag values)");
    }
    for (std::size_t i = 0; i < p.urls.size(); ++i) {
        const auto problem = detail::url_problem(p.urls[i]);
        ck.require(!problem, "push.urls[" + std::to_string(i) + "]", problem.value_or(""));
    }
    ck.require(p.url.empty() || p.urls.empty(), "push.urls",
               "and push.url (or INFLUX_URL) are both set: list every URL in push.urls, or use push.url alone");
    ck.require(p.enabled != true || !p.endpoints().empty(), "push.enabled", "is true but push.url is empty");
    check_push_transport(ck, p);
    if (!p.active()) return;
    // Cross-field rules apply only when the push loop will run: a URL alone with enabled: false is fine.
    const std::string why = " when push is enabled with push.api " + std::string(name_of(p.api));
    if (p.api == PushApi::v2) {
        ck.require(!p.org.empty(), "push.org", "is required" + why);
        ck.require(!p.bucket.empty() || !p.database.empty(), "push.bucket",
                   "is required" + why + " (or set push.database)");
    } else {
        ck.require(!p.database.empty(), "push.database", "is required" + why);
    }
}

}  // namespace

void validate(const Config& config)
{
    const Checker ck(config);
    check_libvirt(ck, config.libvirt);
    check_web(ck, config.web);
    check_push(ck, config.push);
    ck.parsed("log.level");
    ck.parsed("log.format");
}

}  // namespace config
