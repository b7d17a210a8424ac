// The endpoint handlers the Server registers (internal to src/http). Each runs on CivetWeb worker
// threads and catches everything: a handler never lets an exception into CivetWeb (they are noexcept; only
// running out of memory while writing the 500 itself would end the process instead).
#pragma once

#include <CivetServer.h>

#include "http/server.hpp"
#include "http/web_security_state.hpp"

namespace http {

class MetricsHandler : public CivetHandler {
public:
    explicit MetricsHandler(const prom::SnapshotCollectable& metrics) : metrics_(metrics) {}
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const prom::SnapshotCollectable& metrics_;
};

class LandingHandler : public CivetHandler {
public:
    LandingHandler(const StatusSource& status, std::string metrics_path)
        : status_(status), metrics_path_(std::move(metrics_path))
    {
    }
    bool handleGet(CivetServer* server, mg_connection* conn) noexcept override;

private:
    const StatusSource& status_;
    std::string metrics_path_;
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

// The body of /api/vms (pure; null snapshot: no collection yet). Throws only std::bad_alloc.
std::string vms_json(const collect::Snapshot* snapshot);

// The body of / (pure apart from calling the StatusSource callbacks; every value HTML-escaped).
// Throws only std::bad_alloc.
std::string landing_page(const StatusSource& status, const std::string& metrics_path);

// POST /api/push/start and /api/push/stop. With basic auth configured the AuthHandler has already let
// the client in, from anywhere; without it only loopback clients may control the push loop (SPEC §2).
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
    explicit AuthHandler(WebSecurityState& security) : security_(security) {}
    bool authorize(CivetServer* server, mg_connection* conn) noexcept override;

private:
    WebSecurityState& security_;
};

// True for 127.0.0.0/8 and ::1 (also IPv4-mapped), the clients allowed to use control endpoints.
bool is_loopback(std::string_view remote_addr) noexcept;

}  // namespace http
