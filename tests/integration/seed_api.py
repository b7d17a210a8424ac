#!/usr/bin/env python3
"""The seed collector's REST API against the running exporter, pushing to a loopback write endpoint: each
/api/telemetry/* alias answers as our endpoint does (the shared fields equal) plus the seed's field names;
the landing page's Pause push / Resume push buttons clicked in headless Chromium; cross-site POSTs
refused (urllib and curl with a foreign Origin or Sec-Fetch-Site: cross-site, and a form on another
origin submitted by Chromium) while `curl -X POST` without an Origin still works; and the access rules of
the control endpoints for a client that is not on loopback, without and with basic auth.

Usage: seed_api.py EXPORTER SOURCE_DIR
"""
import base64
import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
import urllib.request

from browser import Browser
from fixtures import Exporter, Process, exporter_config, free_port, http_get, wait_until, workdir
from sanitizers import scaled
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-seed-")
    uri = f"test://{source_dir}/config/demo-node.xml"
    TOKEN = "seed-t0ken-KLM-41c9"
    URL_PASSWORD = "url-pa55-SEED-8d2e"
    PASSWORD = "s3cret-Se3d-api"
    # Cost 10, as `htpasswd -nbBC 10` makes them for operators (web_security.py does the same).
    HASH = subprocess.run([sys.executable, "-W", "ignore", "-c",
                           "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))",
                           PASSWORD], capture_output=True, text=True, check=True).stdout.strip()
    AUTH = "Basic " + base64.b64encode(f"prometheus:{PASSWORD}".encode()).decode()
    # The seed's config keys (the environment variables, lower-cased) and the setting each one shows.
    SEED_CONFIG = {"libvirt_timeout": ("libvirt", "timeout"), "device_cache_ttl": ("libvirt", "device_cache_ttl"),
                   "influx_api": ("push", "api"), "influx_db": ("push", "database"), "influx_org": ("push", "org"),
                   "poll_interval": ("push", "interval"), "batch_max_lines": ("push", "batch_max_lines"),
                   "batch_max_sec": ("push", "batch_max_sec")}
    MASKED = {"libvirt_uri": ("libvirt", "uri"), "influx_url": ("push", "url"), "influx_token": ("push", "token")}

    class Endpoint(http.server.BaseHTTPRequestHandler):
        """An InfluxDB /write endpoint that accepts everything (204) and counts the lines."""
        lines = 0
        lock = threading.Lock()

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            with Endpoint.lock:
                Endpoint.lines += sum(1 for line in body.split(b"\n") if line)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    class EvilPage(http.server.BaseHTTPRequestHandler):
        """Another origin (another port) serving a form that posts to the exporter's control endpoint."""
        target = ""

        def do_GET(self):
            body = (f'<!DOCTYPE html><html><body><form method="post" action="{EvilPage.target}">'
                    '<button id="go" type="submit">win a prize</button></form></body></html>').encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    def serve(handler):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def write(path, text):
        with open(path, "w") as f:
            f.write(text)
        return path

    def outside_address():
        """A non-loopback IPv4 address of this host: a client connecting from it is not on loopback."""
        try:
            out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10).stdout.split()
        except (OSError, subprocess.SubprocessError):
            return None
        return next((a for a in out if "." in a and not a.startswith("127.")), None)

    class AuthedExporter(Exporter):
        """The exporter with basic auth, on a non-loopback address only (Exporter's own wait would get 401)."""

        def __init__(self, web_config, address):
            self.port = free_port()
            Process.__init__(self, [exporter_bin, "--libvirt.uri", uri, "--config", cfg, "--web.config.file", web_config,
                                    "--web.listen-address", f"{address}:{self.port}"],
                             os.path.join(work, f"exporter-{self.port}.log"))
            self.url = f"http://{address}:{self.port}"
            wait_until(lambda: http_get(self.url + "/healthz", {"Authorization": AUTH}, timeout=2)[0] == 200, 20,
                       "exporter /healthz with credentials")

    def get_json(url, headers=None):
        status, hdrs, body = http_get(url, headers)
        assert status == 200 and hdrs.get("Content-Type") == "application/json", (url, status, hdrs, body[:200])
        return json.loads(body)

    def post(url, headers=None):
        """(status, headers, body) of a POST with an empty body; redirects are not followed."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None
        req = urllib.request.Request(url, data=b"", method="POST", headers=headers or {})
        try:
            with urllib.request.build_opener(NoRedirect).open(req, timeout=scaled(10)) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def curl(*args):
        """(HTTP status, body) of a curl run; curl's own defaults (no Origin, Accept: */*)."""
        p = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", *args], capture_output=True, text=True,
                           timeout=scaled(20))
        body, _, code = p.stdout.rpartition("\n")
        return int(code or 0), body

    def running(exp):
        return get_json(exp.url + "/api/status")["push"]["running"]

    def stable_pair(exp, native, alias):
        """The native answer and the alias's, read between two equal native answers (the push collects and
        writes every second, so a counter may move between two requests)."""
        last = None
        for _ in range(20):
            before = get_json(exp.url + native)
            got = get_json(exp.url + alias)
            after = get_json(exp.url + native)
            if before == after:
                return before, got
            last = (before, after)
        raise AssertionError(f"{native} never answered the same twice in a row: {last}")

    endpoint = serve(Endpoint)
    evil = serve(EvilPage)
    cfg = exporter_config(os.path.join(work, "push.yaml"), push={
        "url": f"http://writer:{URL_PASSWORD}@127.0.0.1:{endpoint.server_port}", "database": "vms", "org": "ops",
        "token": TOKEN, "interval": 1, "batch_max_sec": 0.2, "retry_backoff_max": 1})
    outside = outside_address()
    outside_port = free_port()
    exp = Exporter(exporter_bin, work, uri, ["--config", cfg] + (
        ["--web.listen-address", f"{outside}:{outside_port}"] if outside else []))
    browser = None
    authed = None
    try:
        tap.run("the exporter pushes to the loopback write endpoint", lambda: wait_until(
            lambda: Endpoint.lines >= 5 and running(exp), 30, "lines at the endpoint"))

        # --- 1. the aliases answer as ours do, plus the seed's field names -------------------------------
        def status_alias():
            native, alias = stable_pair(exp, "/api/status", "/api/telemetry/status")
            extra = {k: alias.pop(k, None) for k in ("running", "total_metrics_written", "influx_queue_size")}
            assert alias == native, (alias, native)
            push = native["push"]
            assert extra == {"running": push["running"], "total_metrics_written": push["lines_written"],
                             "influx_queue_size": push["queue_size"]}, (extra, push)
            assert extra["running"] is True and extra["total_metrics_written"] > 0, extra
            return True
        tap.run("/api/telemetry/status is /api/status plus running, total_metrics_written and influx_queue_size "
                "with the push's values", status_alias)

        def vms_alias():
            native, alias = stable_pair(exp, "/api/vms", "/api/telemetry/vms")
            assert alias == native and len(native["domains"]) == 5, (alias, native)
            return True
        tap.run("/api/telemetry/vms answers what /api/vms does (the five demo domains)", vms_alias)

        def config_alias():
            native, alias = stable_pair(exp, "/api/config", "/api/telemetry/config")
            raw = http_get(exp.url + "/api/telemetry/config")[2].decode()
            for secret in (TOKEN, URL_PASSWORD, f"127.0.0.1:{endpoint.server_port}", "demo-node.xml"):
                assert secret not in raw, f"{secret} in {raw}"
            for key, (section, name) in MASKED.items():
                assert alias.pop(key) == "***", (key, alias)
                assert alias[section][name] == "***", (section, name, alias[section])
            for key, (section, name) in SEED_CONFIG.items():
                value = alias.pop(key)
                assert value == native[section][name], (key, value, native[section][name])
            assert native["push"]["database"] == "vms" and native["push"]["org"] == "ops", native["push"]
            # Everything else is ours, equal but for the two URLs the alias masks like the seed did.
            for section, name in (("libvirt", "uri"), ("push", "url")):
                alias[section][name] = native[section][name]
            assert alias == native, (alias, native)
            assert native["libvirt"]["uri"] == uri and native["push"]["token"] == "***", native
            return True
        tap.run("/api/telemetry/config is /api/config plus the seed's keys (the environment variables, lower-cased)"
                ", libvirt_uri, influx_url and influx_token as *** (and our libvirt.uri and push.url with them)",
                config_alias)

        def control_aliases():
            status, headers, body = post(exp.url + "/api/telemetry/stop")
            assert status == 200 and json.loads(body) == {"push": "stopped"}, (status, body)
            assert not running(exp) and get_json(exp.url + "/api/telemetry/status")["running"] is False
            status, headers, body = post(exp.url + "/api/telemetry/start")
            assert status == 200 and json.loads(body) == {"push": "running"}, (status, body)
            assert running(exp) and get_json(exp.url + "/api/telemetry/status")["running"] is True
            return True
        tap.run("POST /api/telemetry/stop and /start pause and resume the push like /api/push/stop and /start",
                control_aliases)

        def get_on_control():
            return all(http_get(exp.url + p)[0] in (404, 405) for p in ("/api/telemetry/stop", "/api/push/stop"))
        tap.run("GET on a control path, ours or the seed's, changes nothing", lambda: get_on_control() and running(exp))

        # --- 2. curl as before, and the cross-site rule ---------------------------------------------------
        def plain_curl():
            for path, state in (("/api/push/stop", False), ("/api/push/start", True)):
                code, body = curl("-X", "POST", exp.url + path)
                assert code == 200 and json.loads(body)["push"] == ("running" if state else "stopped"), (code, body)
                assert running(exp) is state
            return True
        tap.run("curl -X POST without an Origin still stops and starts the push, answered with JSON", plain_curl)

        def cross_site(headers, via_curl=False):
            refused = []
            for path in ("/api/push/stop", "/api/telemetry/stop"):
                if via_curl:
                    code, body = curl("-X", "POST", *sum((["-H", f"{k}: {v}"] for k, v in headers.items()), []),
                                      exp.url + path)
                else:
                    code, _, raw = post(exp.url + path, headers)
                    body = raw.decode()
                refused.append(code == 403 and "cross-site request refused" in body)
            assert all(refused) and running(exp), (refused, running(exp))
            return True
        tap.run("a POST with Origin: http://evil.example is refused with 403 on ours and the seed's stop (urllib)",
                lambda: cross_site({"Origin": "http://evil.example"}))
        tap.run("a POST with Sec-Fetch-Site: cross-site is refused with 403 on ours and the seed's stop (urllib)",
                lambda: cross_site({"Sec-Fetch-Site": "cross-site"}))
        tap.run("curl -H 'Origin: http://evil.example' -X POST is refused with 403, the push keeps running",
                lambda: cross_site({"Origin": "http://evil.example"}, via_curl=True))

        def same_origin_form():
            origin = {"Origin": exp.url, "Sec-Fetch-Site": "same-origin",
                      "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                      "Content-Type": "application/x-www-form-urlencoded"}
            status, headers, _ = post(exp.url + "/api/push/stop", origin)
            assert status == 303 and headers.get("Location") == "/", (status, headers)
            assert not running(exp)
            status, headers, _ = post(exp.url + "/api/telemetry/start", origin)
            assert status == 303 and headers.get("Location") == "/" and running(exp), (status, headers)
            return True
        tap.run("a form POST from our own origin is redirected (303) back to /", same_origin_form)

        # --- 3. the buttons, clicked in headless Chromium ------------------------------------------------
        browser = Browser(work)

        def pause_button():
            browser.navigate(exp.url + "/")
            assert browser.evaluate("document.getElementById('push-status').textContent") == "running"
            browser.click("push-pause")
            assert browser.evaluate("location.href") == exp.url + "/", browser.evaluate("location.href")
            assert browser.evaluate("document.getElementById('push-status').textContent") == "paused"
            assert browser.evaluate("!!document.getElementById('push-resume')")
            assert running(exp) is False
            return True
        tap.run("Chromium: clicking Pause push pauses the push (/api/status push.running false) and comes back "
                "to / showing it paused with a Resume push button", pause_button)

        def resume_button():
            written = get_json(exp.url + "/api/status")["push"]["lines_written"]
            browser.click("push-resume")
            assert browser.evaluate("location.href") == exp.url + "/"
            assert browser.evaluate("document.getElementById('push-status').textContent") == "running"
            assert running(exp) is True
            wait_until(lambda: get_json(exp.url + "/api/status")["push"]["lines_written"] > written, 15,
                       "lines written after the resume")
            return True
        tap.run("Chromium: clicking Resume push resumes it (push.running true, lines written again)", resume_button)

        def evil_form():
            EvilPage.target = exp.url + "/api/push/stop"
            browser.navigate(f"http://127.0.0.1:{evil.server_port}/")
            browser.click("go")
            text = browser.evaluate("document.body.innerText")
            assert "cross-site request refused" in text, text
            assert running(exp) is True
            return True
        tap.run("Chromium: a form on another origin posting to /api/push/stop gets 403 and the push keeps running",
                evil_form)

        # --- 4. a client that is not on loopback ---------------------------------------------------------
        if outside:
            far = f"http://{outside}:{outside_port}"

            def outside_refused():
                page = http_get(far + "/")[2].decode()
                assert 'id="push-status">running<' in page and "<form" not in page, page
                for path in ("/api/push/stop", "/api/telemetry/stop"):
                    status, _, body = post(far + path)
                    assert status == 403 and b"only allowed from loopback" in body, (path, status, body)
                assert http_get(far + "/api/telemetry/status")[0] == 200 and running(exp)
                return True
            tap.run(f"from {outside} (not loopback) without auth: no button on /, both stop paths refused with 403",
                    outside_refused)

            web = write(os.path.join(work, "web.yml"), f"basic_auth_users:\n  prometheus: {HASH}\n")
            authed = AuthedExporter(web, outside)
            far = authed.url
            auth = {"Authorization": AUTH}

            def basic_auth():
                for path in ("/api/telemetry/status", "/api/telemetry/vms", "/api/telemetry/config"):
                    assert http_get(far + path)[0] == 401, path
                    assert http_get(far + path, auth)[0] == 200, path
                for path in ("/api/telemetry/stop", "/api/push/start"):
                    assert post(far + path)[0] == 401, path
                page = http_get(far + "/", auth)[2].decode()
                assert 'id="push-pause"' in page, page
                assert post(far + "/api/telemetry/stop", auth)[0] == 200
                assert get_json(far + "/api/status", auth)["push"]["running"] is False
                assert post(far + "/api/telemetry/start", {**auth, "Origin": "http://evil.example"})[0] == 403
                assert get_json(far + "/api/status", auth)["push"]["running"] is False
                assert post(far + "/api/telemetry/start", auth)[0] == 200
                assert get_json(far + "/api/status", auth)["push"]["running"] is True
                return True
            tap.run(f"with basic auth, from {outside}: the aliases ask for credentials (401); with them the page "
                    "shows the button and the seed's stop/start work; a foreign Origin is still refused", basic_auth)
        else:
            tap.check(True, "no non-loopback address on this host # SKIP the not-on-loopback checks")
    finally:
        if browser:
            browser.close()
        codes = [e.stop() for e in (exp, authed) if e]
        tap.check(all(c == 0 for c in codes), "the exporters exit 0 on SIGTERM", codes)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
