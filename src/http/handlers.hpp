// The endpoint handlers the Server registers (internal to src/http). Each runs on CivetWeb worker
// threads and catches everything: a handler never lets an exception into CivetWeb (they are noexcept; only
// running out of memory while writing the 500 itself would end the process instead).
#pragma once

#include <CivetServer.h>

#include <optional>

#include "http/server.hpp"
#include "http/web_security_state.hpp"
#include "util/json_writer.hpp"

namespace http {

class MetricsHandler : public CivetHandler {
public:
    explicit MetricsHandler(const prom::Exposition& metrics) : metrics_(metrics) {}
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const prom::Exposition& metrics_;
};

// GET /: the landing page, with the push's pause/resume button for a client that may use it.
class LandingHandler : public CivetHandler {
public:
    LandingHandler(const StatusSource& status, std::string metrics_path, WebSecurityState* security)
        : status_(status), metrics_path_(std::move(metrics_path)), security_(security)
    {
    }
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const StatusSource& status_;
    std::string metrics_path_;
    WebSecurityState* security_;  // null: no web config file
};

class HealthHandler : public CivetHandler {
public:
    // ready == false: /healthz (alive while the process answers); true: /readyz (libvirt connected).
    HealthHandler(const StatusSource& status, bool ready) : status_(status), ready_(ready) {}
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const StatusSource& status_;
    bool ready_;
};

// The members of /api/status's object (libvirt, the last collection, the push counters from `push`,
// nullopt when no push is configured) written into the object `w` has open. Throws only std::bad_alloc.
void write_status_fields(util::JsonWriter& w, const StatusSource& status, const std::optional<prom::PushStatus>& push);

// StatusSource::push_status's answer, nullopt when no push is configured.
std::optional<prom::PushStatus> push_status_of(const StatusSource& status);

// GET /api/status: libvirt, the last collection and the push counters as JSON.
class StatusApiHandler : public CivetHandler {
public:
    explicit StatusApiHandler(const StatusSource& status) : status_(status) {}
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const StatusSource& status_;
};

// GET /api/vms: the domains of the latest collection (no collection is triggered) with their devices,
// as the device cache had them for that collection (immutable; read without the cache's lock).
class VmsApiHandler : public CivetHandler {
public:
    explicit VmsApiHandler(const StatusSource& status) : status_(status) {}
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const StatusSource& status_;
};

// GET /api/config: StatusSource::config_json (secrets already masked).
class ConfigApiHandler : public CivetHandler {
public:
    explicit ConfigApiHandler(const StatusSource& status) : status_(status) {}
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const StatusSource& status_;
};

// GET /api/telemetry/status (the seed collector's path): /api/status's answer plus the seed's field names
// (http/seed_api.hpp), from one reading of the push status.
class SeedStatusHandler : public CivetHandler {
public:
    explicit SeedStatusHandler(const StatusSource& status) : status_(status) {}
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const StatusSource& status_;
};

// GET /api/telemetry/config: StatusSource::seed_config_json (rendered by http::seed_config_json).
class SeedConfigHandler : public CivetHandler {
public:
    explicit SeedConfigHandler(const StatusSource& status) : status_(status) {}
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const StatusSource& status_;
};

// The body of /api/vms (pure; null snapshot: no collection yet). Throws only std::bad_alloc.
std::string vms_json(const collect::Snapshot* snapshot);

// The body of / (pure apart from calling the StatusSource callbacks; every value HTML-escaped).
// push_controls: show the "Pause push" / "Resume push" button (a plain form posting to /api/push/stop or
// /start), for a client that may_control_push; shown only when a push is configured.
// Throws only std::bad_alloc.
std::string landing_page(const StatusSource& status, const std::string& metrics_path, bool push_controls = false);

// POST /api/push/start and /api/push/stop, and their seed aliases /api/telemetry/start and /stop. With basic
// auth configured the AuthHandler has already let the client in, from anywhere; without it only loopback
// clients may control the push loop (SPEC §2). Either way a cross-site request (http/cross_site.hpp) gets
// 403. A browser's form submission (Accept: text/html) is redirected (303) to the landing page; other
// clients get JSON.
class PushControlHandler : public CivetHandler {
public:
    PushControlHandler(const StatusSource& status, bool run, WebSecurityState* security)
        : status_(status), run_(run), security_(security)
    {
    }
    bool handlePost(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const StatusSource& status_;
    bool run_;
    WebSecurityState* security_;  // null: no web config file
};

// Every path when a web config file is given: basic auth as the file in force says (401 with a
// challenge, 429 when bcrypt is busy with other attempts). Failed attempts are counted and logged at
// debug level only, so a flood of them cannot flood the log.
class AuthHandler : public CivetAuthHandler {
public:
    // `instruments` (may be null) counts the refusals by reason; borrowed, it outlives the handler.
    AuthHandler(WebSecurityState& security, instr::Instruments* instruments)
        : security_(security), instruments_(instruments)
    {
    }
    bool authorize(CivetServer* server, mg_connection* conn) noexcept override;

private:
    WebSecurityState& security_;
    instr::Instruments* instruments_;
};

// True for 127.0.0.0/8 and ::1 (also IPv4-mapped), the clients allowed to use control endpoints.
bool is_loopback(std::string_view remote_addr) noexcept;

// The access rule of the control endpoints for the client of `conn` (before the cross-site check): any
// client when basic auth is configured (the AuthHandler let it in), else loopback clients only.
bool may_control_push(mg_connection* conn, WebSecurityState* security) noexcept;

}  // namespace http
