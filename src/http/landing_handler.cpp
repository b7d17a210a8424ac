// GET /: the landing page (plain, self-contained HTML: no scripts, no external resources). Runs on
// CivetWeb worker threads; landing_page() throws only std::bad_alloc, which handleGet turns into a 500.
// The push's pause/resume button is a plain form, so it works without script; the control endpoints
// accept it because the browser sends our own origin (http/cross_site.hpp) and redirect it back here.
#include <civetweb.h>

#include <chrono>
#include <cstdio>

#include "build_info.hpp"
#include "collect/domain_state.hpp"
#include "http/handlers.hpp"
#include "http/response.hpp"
#include "util/internal_errors.hpp"
#include "virt/domain_source.hpp"

namespace http {
namespace {

std::string row(std::string_view label, const std::string& value_html)
{
    return "<tr><th>" + html_escape(label) + "</th><td>" + value_html + "</td></tr>\n";
}

// Device targets, escaped and comma-separated; "?" when the domain XML was not available.
template <class Devices>
std::string targets(const collect::DomainSample& d, const Devices collect::DomainDevices::*devices)
{
    if (!d.devices) return "?";
    std::string out;
    for (const auto& dev : (*d.devices).*devices) out += (out.empty() ? "" : ", ") + html_escape(dev.target);
    return out;
}

// One row per domain of the last collection: name, state, NICs and disks (every value escaped:
// domain names may hold markup, quotes and any UTF-8).
std::string domain_table(const collect::Snapshot& snap)
{
    if (snap.domains.empty()) return "";
    std::string html =
        "<h2>Domains</h2>\n<table id=\"domain-table\">\n"
        "<tr><th>Name</th><th>State</th><th>NICs</th><th>Disks</th></tr>\n";
    for (const auto& d : snap.domains) {
        html += "<tr><td>" + html_escape(d.name) + "</td><td>" +
                (d.state.state ? html_escape(collect::domain_state(*d.state.state).virsh) : "") + "</td><td>" +
                targets(d, &collect::DomainDevices::nics) + "</td><td>" + targets(d, &collect::DomainDevices::disks) +
                "</td></tr>\n";
    }
    return html + "</table>\n";
}

// The one button that changes the push's state: pause while it runs, resume while it is paused.
std::string push_button(bool running)
{
    return running ? "<form class=\"push-control\" method=\"post\" action=\"/api/push/stop\">"
                     "<button type=\"submit\" id=\"push-pause\">Pause push</button></form>"
                   : "<form class=\"push-control\" method=\"post\" action=\"/api/push/start\">"
                     "<button type=\"submit\" id=\"push-resume\">Resume push</button></form>";
}

}  // namespace

std::string landing_page(const StatusSource& status, const std::string& metrics_path, bool push_controls)
{
    const bool connected = status.libvirt_connected && status.libvirt_connected();
    const auto snap = status.latest_snapshot ? status.latest_snapshot() : nullptr;
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>virt-exporter</title>\n"
        "<style>body{font-family:sans-serif;margin:2em}th,td{text-align:left;padding-right:1em}"
        ".ok{color:#080}.bad{color:#b00}form.push-control{display:inline;margin-left:1em}</style></head><body>\n"
        "<h1>virt-exporter</h1>\n<p>libvirt/KVM metrics for Prometheus and InfluxDB.</p>\n<table>\n";
    html += row("Version", html_escape(VIRT_EXPORTER_VERSION));
    html += row("libvirt URI", html_escape(status.libvirt_uri));
    html += row("libvirt", connected ? "<span class=\"ok\" id=\"libvirt-status\">connected</span>"
                                     : "<span class=\"bad\" id=\"libvirt-status\">not connected</span>");
    if (snap) {
        html += row("Domains", "<span id=\"domains\">" + std::to_string(snap->domains.size()) + "</span>");
        char duration[32];
        std::snprintf(duration, sizeof duration, "%.3f s", std::chrono::duration<double>(snap->duration).count());
        html += row("Last collection", "#" + std::to_string(snap->sequence) + ", took " + duration +
                                           (snap->complete ? "" : " (incomplete)"));
        std::string groups;
        for (const auto& g : snap->groups) {
            groups += "<span class=\"" + std::string(g.success ? "ok" : "bad") + "\">" +
                      html_escape(virt::stats_group_name(g.group)) + (g.per_domain ? " (per domain)" : "") + "</span> ";
        }
        html += row("Stats groups", groups);
        if (!snap->error.empty())
            html += row("Last error", "<span class=\"bad\">" + html_escape(snap->error) + "</span>");
    } else {
        html += row("Domains", "<span id=\"domains\">no collection yet</span>");
    }
    if (status.push_status) {
        const prom::PushStatus p = status.push_status();
        html += row("Push", std::string("enabled, ") +
                                (p.running ? "<span class=\"ok\" id=\"push-status\">running</span>"
                                           : "<span class=\"bad\" id=\"push-status\">paused</span>") +
                                (push_controls && status.push_control ? push_button(p.running) : ""));
        html += row("Push lines", "<span id=\"push-written\">" + std::to_string(p.lines_written) + "</span> written, " +
                                      std::to_string(p.queued_lines) + " queued, " + std::to_string(p.spooled_lines) +
                                      " spooled, " + std::to_string(p.lines_dropped) + " dropped, " +
                                      std::to_string(p.lines_rejected) + " rejected");
        if (!p.last_error.empty())
            html += row("Push last error", "<span class=\"bad\">" + html_escape(p.last_error) + "</span>");
    } else {
        html += row("Push", "<span id=\"push-status\">disabled</span> (no push.url configured)");
    }
    html += "</table>\n";
    if (snap) html += domain_table(*snap);
    html += "<h2>Endpoints</h2>\n<ul>\n<li><a href=\"" + html_escape(metrics_path) + "\">Metrics</a></li>\n";
    for (const char* link : {"/healthz", "/readyz", "/api/status", "/api/vms", "/api/config"})
        html += "<li><a href=\"" + std::string(link) + "\">" + link + "</a></li>\n";
    html += "</ul>\n</body></html>\n";
    return html;
}

bool LandingHandler::handleGet(CivetServer*, mg_connection* conn) noexcept
{
    const auto* info = mg_get_request_info(conn);
    Response r;
    if (info && info->local_uri && std::string_view(info->local_uri) != "/") {
        r.status = 404;
        r.body = "not found\n";
    } else {
        r.content_type = "text/html; charset=utf-8";
        try {
            r.body = landing_page(status_, metrics_path_, may_control_push(conn, security_));
        } catch (...) {
            util::count_internal_error(util::ThreadRole::http, std::current_exception());
            r = Response{500, "text/plain; charset=utf-8", "internal error\n", "", ""};
        }
    }
    send(conn, r);
    return true;
}

}  // namespace http
