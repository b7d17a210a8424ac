#include "app/daemon.hpp"

#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <optional>
#include <pthread.h>

#include "app/pipeline.hpp"
#include "app/push.hpp"
#include "app/reload.hpp"
#include "app/shutdown_deadline.hpp"
#include "collect/snapshot_json.hpp"
#include "http/capacity.hpp"
#include "http/seed_api.hpp"
#include "http/server.hpp"
#include "http/web_security_state.hpp"
#include "instr/instruments.hpp"
#include "prom/exposition.hpp"
#include "util/error_chain.hpp"
#include "util/log.hpp"

namespace app {
namespace {

// The effective configuration as /api/config and the seed's /api/telemetry/config show it: rendered
// (secrets masked) at start and after each reload on the main thread, read by HTTP threads.
class RenderedConfig {
public:
    void set(const config::Config& config)
    {
        std::string json = config::to_json(config);
        std::string seed_json = http::seed_config_json(config);
        std::lock_guard lock(mu_);
        json_ = std::move(json);
        seed_json_ = std::move(seed_json);
    }
    std::string get() const
    {
        std::lock_guard lock(mu_);
        return json_;
    }
    std::string get_seed() const
    {
        std::lock_guard lock(mu_);
        return seed_json_;
    }

private:
    mutable std::mutex mu_;
    std::string json_;
    std::string seed_json_;
};

}  // namespace

void check_web_config(const config::Config& config)
{
    if (config.web.config_file.empty()) return;
    try {
        http::WebSecurityState state(config.web.config_file);
    } catch (const config::ConfigError&) {
        throw;
    } catch (const std::exception& e) {
        throw config::ConfigError(e.what());
    }
}

int run_once(const config::Config& config) noexcept
{
    try {
        // --once prints the domains' snapshot; no pool or guest agent round is started (one could hang on a
        // dead pool or agent), and no read-write connection is opened.
        config::Config once = config;
        once.libvirt.storage_pools = false;
        once.libvirt.guest_agent.enabled = false;
        Pipeline pipeline(once, util::SystemClock::instance());
        pipeline.start();
        if (!pipeline.connection().wait_connected(config.libvirt.timeout))
            util::log_error("virt",
                            "cannot connect to " + config.libvirt.uri + ": " + pipeline.connection().last_error());
        const auto result = pipeline.store().get(config.libvirt.timeout + config.libvirt.timeout);
        pipeline.stop();
        if (!result.snapshot) {
            util::log_error("collect", "no collection finished within the libvirt timeout");
            return 1;
        }
        const std::string json = collect::snapshot_to_json(*result.snapshot);
        std::fwrite(json.data(), 1, json.size(), stdout);
        std::fflush(stdout);
        return result.snapshot->libvirt_up ? 0 : 1;
    } catch (...) {
        util::log_error("app", util::current_error_chain());
        return 1;
    }
}

int run_daemon(const config::Config& initial, const config::Flags& flags) noexcept
{
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    // Blocked in every thread created from here on, so only sigtimedwait() below sees them.
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // Scrapes of a large host build ~10 MB responses on up to 16 HTTP threads at once. With glibc's
    // default of 8 arenas per core each thread's high-water mark stays resident after the scrape; a few
    // arenas, and returning free memory to the system every few seconds (below), keep RSS at what the
    // exporter holds, not at what it once held (measured in tests/integration/soak.py).
    mallopt(M_ARENA_MAX, 4);
    std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the exporter
    // Every HTTP connection is an open file (web.max_connections of them, 2048 by default), above the
    // soft limit of 1024 that systemd and shells give. The server fits itself under what this leaves.
    const std::uint64_t open_files = http::raise_open_files_limit();

    try {
        config::Config config = initial;
        const auto& clock = util::SystemClock::instance();
        // The exporter's own instrumentation: declared first, so it outlives everything that records into
        // it (the pipeline's threads, the pusher's, the HTTP workers) and every scrape that serializes it.
        // Before everything it bounds: destroyed last, after the pipeline's threads are joined.
        std::optional<ShutdownDeadline> teardown_deadline;
        prometheus::Registry registry;
        instr::Instruments instruments(registry);
        Pipeline pipeline(config, clock, &instruments);
        pipeline.start();
        prom::Exposition metrics(pipeline.store(), pipeline.cache(), clock, config.web.scrape_timeout);
        metrics.set_instrumentation(&registry);
        // Before the server exists: HTTP threads read what set_push_status installs.
        if (auto* pools = pipeline.pools()) metrics.set_pool_source([pools] { return pools->snapshot(); });
        if (auto* guests = pipeline.guests()) metrics.set_guest_source([guests] { return guests->snapshot(); });
        auto pusher = make_pusher(config, pipeline.store(), &instruments, pipeline.pools(), pipeline.guests());
        if (pusher) metrics.set_push_status([p = pusher.get()] { return push_status(p->stats()); });
        http::ServerOptions web;
        web.listen_addresses = config.web.listen_addresses;
        web.metrics_path = config.web.telemetry_path;
        web.max_connections = config.web.max_connections;
        web.request_timeout = config.web.request_timeout;
        web.keep_alive_timeout = config.web.keep_alive_timeout;
        web.instruments = &instruments;
        if (!config.web.config_file.empty())
            web.security = std::make_shared<http::WebSecurityState>(config.web.config_file);
        auto& connection = pipeline.connection();
        auto& store = pipeline.store();
        RenderedConfig rendered_config;
        rendered_config.set(config);
        http::StatusSource status{
            .libvirt_uri = config.libvirt.uri,
            .libvirt_connected = [&connection] { return connection.connected(); },
            .latest_snapshot = [&store] { return store.latest(); },
            .push_status = nullptr,
            .push_control = nullptr,
            .config_json = [&rendered_config] { return rendered_config.get(); },
            .seed_config_json = [&rendered_config] { return rendered_config.get_seed(); },
        };
        if (pusher) {
            status.push_status = [p = pusher.get()] { return push_status(p->stats()); };
            status.push_control = [p = pusher.get()](bool run) { run ? p->resume() : p->pause(); };
        }
        http::Server server(web, metrics, std::move(status));
        if (!config.web.health_path.empty()) server.add_health_path(config.web.health_path);
        std::string ports;
        for (int p : server.ports()) ports += (ports.empty() ? "" : ",") + std::to_string(p);
        if (server.capacity().lowered)
            util::log_warn("http", http::describe_lowered(config.web.max_connections, server.capacity()));
        util::log_info("app", "virt-exporter listening on port " + ports + " (up to " +
                                  std::to_string(server.capacity().workers) + " connections, " +
                                  std::to_string(open_files) + " open files), libvirt " + config.libvirt.uri);
        if (pusher) pusher->start();

        for (;;) {
            const timespec trim_every{5, 0};
            const int sig = sigtimedwait(&signals, nullptr, &trim_every);
            if (sig < 0) {
                malloc_trim(0);
                continue;
            }
            if (sig == SIGHUP) {
                reload(config, flags, pipeline.cache());
                rendered_config.set(config);
                continue;
            }
            util::log_info("app", std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", stopping");
            break;
        }
        // Push first: stop collecting and flush or spool within push.shutdown_timeout while libvirt and the
        // store are still there. Then the server (scope order), so no scrape waits on a stopping store.
        if (pusher) pusher->stop();
        // What is left waits at most for a scrape in flight and for a collection that is not stuck.
        teardown_deadline.emplace(std::chrono::duration_cast<std::chrono::milliseconds>(config.libvirt.timeout) +
                                  config.web.scrape_timeout);
    } catch (...) {
        util::log_error("app", util::current_error_chain());
        return 1;
    }
    util::log_info("app", "stopped");
    return 0;
}

}  // namespace app
