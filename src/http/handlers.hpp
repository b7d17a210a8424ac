// The endpoint handlers the Server registers (internal to src/http). Each runs on CivetWeb worker
// threads and catches everything: a handler never lets an exception into CivetWeb.
#pragma once

#include <CivetServer.h>

#include "http/server.hpp"

namespace http {

class MetricsHandler : public CivetHandler {
public:
    explicit MetricsHandler(const prom::SnapshotCollectable& metrics) : metrics_(metrics) {}
    bool handleGet(CivetServer* server, mg_connection* conn) override;

private:
    const prom::SnapshotCollectable& metrics_;
};

class LandingHandler : public CivetHandler {
public:
    LandingHandler(const StatusSource& status, std::string metrics_path)
        : status_(status), metrics_path_(std::move(metrics_path))
    {
    }
    bool handleGet(CivetServer* server, mg_connection* conn) override;

private:
    const StatusSource& status_;
    std::string metrics_path_;
};

class HealthHandler : public CivetHandler {
public:
    // ready == false: /healthz (alive while the process answers); true: /readyz (libvirt connected).
    HealthHandler(const StatusSource& status, bool ready) : status_(status), ready_(ready) {}
    bool handleGet(CivetServer* server, mg_connection* conn) override;

private:
    const StatusSource& status_;
    bool ready_;
};

}  // namespace http
