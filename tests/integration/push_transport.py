#!/usr/bin/env python3
"""The push's transport: a client certificate (push.tls_cert_file/tls_key_file) against a loopback HTTPS
write endpoint that requires one, and a proxy (push.proxy, push.no_proxy, the environment's http_proxy)
through a loopback CONNECT/forward proxy that counts what passes. The failures too: a wrong or missing
client certificate, and a proxy that is down, are reported (/api/status push.last_error) and retried, and
once the way is open the lines collected meanwhile arrive, none dropped and none twice.

Usage: push_transport.py EXPORTER SOURCE_DIR
"""
import base64
import gzip
import http.client
import http.server
import json
import os
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse

from fixtures import Exporter, exporter_config, free_port, http_get, metric, wait_until, workdir
from tap import Tap

PROXY_PASSWORD = "proxy-pw-s3cret"


class Recorder(http.server.BaseHTTPRequestHandler):
    """A write endpoint: records the lines of each POST and answers 204. Over TLS, the handshake (with
    the client certificate check) runs in the handler's thread; a failed one is counted."""
    protocol_version = "HTTP/1.1"

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.lines.extend(l for l in body.decode().split("\n") if l)
        self.server.posts += 1
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class WriteServer(http.server.ThreadingHTTPServer):
    """Plain HTTP, or TLS with `context` (swappable: the next connection uses the new one)."""
    daemon_threads = True

    def __init__(self, context=None):
        super().__init__(("127.0.0.1", free_port()), Recorder)
        self.context, self.lines, self.posts, self.handshake_failures = context, [], 0, 0
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def get_request(self):
        sock, addr = self.socket.accept()
        if self.context:
            sock = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError)):
            self.handshake_failures += 1

    def url(self, host="127.0.0.1"):
        return f"{'https' if self.context else 'http'}://{host}:{self.server_port}"


class Proxy(http.server.BaseHTTPRequestHandler):
    """CONNECT tunnels (https:// targets) and one forwarded request per connection (http:// targets)."""

    def do_CONNECT(self):
        self.server.seen.append(("CONNECT", self.path, self.headers.get("Proxy-Authorization")))
        host, _, port = self.path.rpartition(":")
        upstream = socket.create_connection((host, int(port)), timeout=10)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        sockets = [self.connection, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is self.connection else self.connection).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()

    def do_POST(self):
        self.server.seen.append(("POST", self.path, self.headers.get("Proxy-Authorization")))
        target = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k: v for k, v in self.headers.items() if not k.lower().startswith("proxy-")}
        headers["Connection"] = "close"
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        upstream.request("POST", target.path + ("?" + target.query if target.query else ""), body, headers)
        answer = upstream.getresponse()
        payload = answer.read()
        self.send_response(answer.status)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
        self.close_connection = True

    def log_message(self, *args):
        pass


def start_proxy(port=None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port or free_port()), Proxy)
    server.daemon_threads, server.seen = True, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tls = os.path.join(source_dir, "tests", "fixtures", "tls")
    tap = Tap()
    work = workdir("vexp-transport-")
    uri = f"test://{source_dir}/config/demo-node.xml"

    def server_context(client_ca, tls12=False):
        """Requires a client certificate signed by `client_ca`; None: asks for none. `tls12`: at most TLS 1.2,
        where the server refuses a certificate with an alert inside the handshake. Under TLS 1.3 the client
        has finished its handshake before the server looks at the certificate, and libcurl sees only the
        connection broken under its next send ("Send failure: Broken pipe"), or the alert if it came first."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        if tls12:
            context.maximum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(f"{tls}/server.pem", f"{tls}/server.key")
        if client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        return context

    def exporter(push, env=None):
        settings = {"database": "vms", "interval": 1, "batch_max_sec": 0.2, "retry_backoff_min": 0.2,
                    "retry_backoff_max": 0.5, "timeout": 3}
        settings.update(push)
        path = exporter_config(os.path.join(work, f"cfg-{time.monotonic_ns()}.yaml"), push=settings)
        clean = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
        return Exporter(exporter_bin, work, uri, ["--config", path], env={**clean, **(env or {})})

    def status(exp):
        return json.loads(http_get(exp.url + "/api/status")[2])["push"]

    def delivered(exp, server):
        """lines_written equals what the server recorded, none dropped, none twice; some were written."""
        text = exp.metrics()
        written = metric(text, "virt_exporter_push_lines_written_total")
        assert written and written == len(server.lines), (written, len(server.lines))
        assert metric(text, "virt_exporter_push_lines_dropped_total") == 0
        assert len(set(server.lines)) == len(server.lines), "a line arrived twice"
        return True

    def first_timestamp(server):
        return min(int(l.rsplit(" ", 1)[1]) for l in server.lines if l.startswith("vm_metrics,")) / 1e9

    client = {"tls_ca_file": f"{tls}/ca.pem", "tls_cert_file": f"{tls}/client.pem",
              "tls_key_file": f"{tls}/client.key"}

    # 1. The client certificate, required by the server.
    server = WriteServer(server_context(f"{tls}/client-ca.pem"))
    exp = exporter({"url": server.url("localhost"), **client})
    try:
        tap.run("client certificate: a server that requires one accepts the push's writes",
                lambda: wait_until(lambda: server.lines and delivered(exp, server), 20, "lines over TLS"))
    finally:
        exp.stop()

    def recovers(name, push, env, fix):
        """The push fails until fix() runs: the error is in /api/status, it is retried, and afterwards the
        lines collected while it failed arrive exactly once."""
        server.lines.clear()
        exp = exporter(push, env)
        try:
            def failing():
                s = status(exp)
                return s["retries"] >= 2 and s["last_error"] and not server.lines and s
            s = wait_until(failing, 20, "failed writes retried")
            tap.check(True, f"{name}: reported ({s['last_error'][:120]!r}) and retried {s['retries']} times")
            time.sleep(2)  # two more intervals collected while it fails
            fixed_at = time.time()
            fix()
            def backlog():
                assert server.lines, "nothing arrived"
                assert first_timestamp(server) < fixed_at - 1, (first_timestamp(server), fixed_at)
                return delivered(exp, server)
            tap.run(f"{name}: after the fix the lines collected meanwhile arrive, none dropped or twice",
                    lambda: wait_until(backlog, 30, "the backlog delivered"))
            return exp.output()
        finally:
            exp.stop()

    # 2. A certificate the server's CA did not sign, then the server trusting it. TLS 1.2, so that the refusal
    # is the handshake's and the log can be expected to name it (see server_context).
    server.context = server_context(f"{tls}/client-ca.pem", tls12=True)
    log = recovers("a client certificate the server does not trust",
                   {"url": server.url("localhost"), "tls_ca_file": f"{tls}/ca.pem",
                    "tls_cert_file": f"{tls}/stranger.pem", "tls_key_file": f"{tls}/stranger.key"}, None,
                   lambda: setattr(server, "context", server_context(f"{tls}/stranger.pem")))
    tap.check(server.handshake_failures > 0, "the server refused the untrusted certificate in the handshake")
    tap.check("SSL" in log or "TLS" in log or "certificate" in log, "the exporter's log names the TLS failure")

    # 3. No client certificate at all.
    server.context = server_context(f"{tls}/client-ca.pem")
    recovers("no client certificate", {"url": server.url("localhost"), "tls_ca_file": f"{tls}/ca.pem"}, None,
             lambda: setattr(server, "context", server_context(None)))
    server.context = server_context(f"{tls}/client-ca.pem")

    # 4. push.proxy with credentials: a CONNECT tunnel to the TLS server; it wins over the environment.
    proxy = start_proxy()
    proxy_url = f"http://squid:{PROXY_PASSWORD}@127.0.0.1:{proxy.server_port}"
    server.lines.clear()
    dead = f"http://127.0.0.1:{free_port()}"
    exp = exporter({"url": server.url("localhost"), "proxy": proxy_url, **client},
                   {"https_proxy": dead, "http_proxy": dead})
    try:
        def tunnelled():
            assert server.lines and delivered(exp, server)
            connects = [s for s in proxy.seen if s[0] == "CONNECT"]
            assert connects and connects[0][1] == f"localhost:{server.server_port}", proxy.seen
            expected = "Basic " + base64.b64encode(f"squid:{PROXY_PASSWORD}".encode()).decode()
            assert connects[0][2] == expected, connects[0]
            return True
        tap.run("push.proxy: https writes go through its CONNECT tunnel with its credentials, not the "
                "environment's proxy", lambda: wait_until(tunnelled, 20, "writes through the proxy"))
        config_json = http_get(exp.url + "/api/config")[2].decode()
        tap.check(PROXY_PASSWORD not in exp.output() + config_json + json.dumps(status(exp)),
                  "the proxy password is in no log line, /api/config or /api/status")
        tap.check(f"via proxy http://127.0.0.1:{proxy.server_port}" in exp.output(),
                  "the start-up log names the proxy without its credentials")
    finally:
        exp.stop()

    # 5. The environment's http_proxy applies without push.proxy; push.no_proxy exempts a host from it.
    plain = WriteServer()
    proxy.seen.clear()
    exp = exporter({"url": plain.url()}, {"http_proxy": f"http://127.0.0.1:{proxy.server_port}"})
    try:
        tap.run("without push.proxy the environment's http_proxy carries http writes (forwarded)",
                lambda: wait_until(lambda: plain.lines and delivered(exp, plain) and
                                   any(s[0] == "POST" for s in proxy.seen), 20, "forwarded writes"))
    finally:
        exp.stop()
    plain.lines.clear()
    proxy.seen.clear()
    exp = exporter({"url": plain.url(), "no_proxy": "127.0.0.1"},
                   {"http_proxy": f"http://127.0.0.1:{proxy.server_port}"})
    try:
        tap.run("push.no_proxy: the listed host is reached directly, the proxy sees nothing",
                lambda: wait_until(lambda: plain.lines and delivered(exp, plain) and not proxy.seen, 20,
                                   "direct writes"))
    finally:
        exp.stop()
    proxy.shutdown()
    proxy.server_close()

    # 6. push.proxy down, then up on its port.
    port = free_port()
    started = []
    recovers("push.proxy down", {"url": server.url("localhost"), "proxy": f"http://127.0.0.1:{port}", **client},
             None, lambda: started.append(start_proxy(port)))
    tap.check(started and any(s[0] == "CONNECT" for s in started[0].seen), "once up, the proxy carried the writes")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
