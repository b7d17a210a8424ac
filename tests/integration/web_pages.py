#!/usr/bin/env python3
"""The status pages as an operator meets them: /api/vms and /api/config over the demo node, the landing
page rendered by a real headless Chromium (screenshot and DOM), and the push token nowhere — not in
/api/config, /api/status, the landing page, --print-config, or any log line (debug level, pushing to a
real InfluxDB and to a server that fails).

Usage: web_pages.py EXPORTER SOURCE_DIR
"""
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib

from fixtures import Exporter, InfluxDB, exporter_config, free_port, http_get, wait_until, workdir
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-web-")
    uri = f"test://{source_dir}/config/demo-node.xml"
    # One secret per way of configuring it; none may appear anywhere the exporter writes or serves.
    TOKEN = "s3cr3t-token-XYZ-0f9e"          # push.token in the config file
    FILE_TOKEN = "f1le-token-QRS-77aa"       # push.token_file's contents
    ENV_TOKEN = "s3cr3t-token-XYZ-env-5b1c"  # INFLUX_TOKEN
    URL_PASSWORD = "url-pa55-MNO-3e4d"       # a password inside push.url
    SECRETS = (TOKEN, FILE_TOKEN, ENV_TOKEN, URL_PASSWORD)
    DEMO_DOMAINS = 5
    DEBUG = ("--log.level", "debug")  # every exporter logs all it has to say

    def chromium(*args):
        """Headless Chromium with its own HOME and profile in the workdir; returns its stdout. It runs in its
        own process group, which is killed (by the leader's PID) if it does not finish in time."""
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        home = os.path.join(work, "chromium-home")
        os.makedirs(home, exist_ok=True)
        p = subprocess.Popen([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              "--disable-background-networking", f"--user-data-dir={home}/profile", *args],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env=dict(os.environ, HOME=home), start_new_session=True)
        try:
            out, _ = p.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise
        return out

    def png_pixels(path):
        """(width, height, set of distinct RGB(A) pixels, share of non-white pixels) of an 8-bit RGB/RGBA PNG."""
        with open(path, "rb") as f:
            data = f.read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
        pos, idat, width = 8, b"", 0
        while pos < len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            chunk = data[pos + 8:pos + 8 + length]
            if kind == b"IHDR":
                width, height, depth, color = struct.unpack(">IIBB", chunk[:10])
                assert depth == 8 and color in (2, 6), f"unexpected PNG format {depth}/{color}"
                bpp = 3 if color == 2 else 4
            elif kind == b"IDAT":
                idat += chunk
            pos += 12 + length
        raw, stride = zlib.decompress(idat), width * bpp
        prev, colors, non_white = bytearray(stride), set(), 0
        for y in range(height):
            line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
            kind, cur = line[0], bytearray(line[1:])
            for i in range(stride):  # undo the PNG filter of this row
                a = cur[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                if kind == 1:
                    cur[i] = (cur[i] + a) & 255
                elif kind == 2:
                    cur[i] = (cur[i] + b) & 255
                elif kind == 3:
                    cur[i] = (cur[i] + (a + b) // 2) & 255
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            for x in range(0, stride, bpp):
                px = bytes(cur[x:x + 3])
                colors.add(px)
                non_white += px != b"\xff\xff\xff"
            prev = cur
        return width, height, colors, non_white / (width * height)

    def demo_domains():
        """name -> (uuid, NICs by MAC, disks by target) as config/demo-node.xml defines them."""
        out = {}
        for d in ET.parse(os.path.join(source_dir, "config", "demo-node.xml")).getroot().iter("domain"):
            attr = lambda e, path, a: (e.find(path).get(a) if e.find(path) is not None else None)  # noqa: E731
            nics = {attr(i, "mac", "address"): {"type": i.get("type"), "model": attr(i, "model", "type"),
                                                "source_bridge": attr(i, "source", "bridge"),
                                                "source_network": attr(i, "source", "network")}
                    for i in d.iter("interface")}
            disks = {attr(k, "target", "dev"): {"bus": attr(k, "target", "bus"), "device": k.get("device"),
                                                "type": k.get("type"), "driver_type": attr(k, "driver", "type"),
                                                "driver_cache": attr(k, "driver", "cache"),
                                                "source": attr(k, "source", "file") or attr(k, "source", "dev"),
                                                "serial": k.findtext("serial")}
                     for k in d.iter("disk")}
            out[d.findtext("name")] = (d.findtext("uuid"), nics, disks)
        return out

    def leaked(text):
        return [s for s in SECRETS if s in text]

    def write(path, text):
        with open(path, "w") as f:
            f.write(text)
        return path

    def push_config(name, url, secret_lines, database="vms"):
        return exporter_config(os.path.join(work, name), push={
            "url": url, "database": database, "interval": 1, "batch_max_sec": 0.2, "retry_backoff_max": 1},
            extra=secret_lines)

    # A server that refuses every write with 401, so the authentication error path logs. For database
    # "echo" it quotes the credentials it got in its answer, as some proxies do.
    REFUSER = """
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        body = b'unauthorized'
        if 'db=echo' in self.path:
            body = ('bad credentials: ' + str(self.headers.get('Authorization'))).encode()
        self.send_response(401); self.send_header('Content-Length', str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
"""

    influx = InfluxDB(work)
    token_file = write(os.path.join(work, "token"), FILE_TOKEN + "\n")
    good_cfg = push_config("good.yaml", influx.url, f'  token: "{TOKEN}"\n')
    exp = Exporter(exporter_bin, work, uri, ["--config", good_cfg, *DEBUG])
    others, refuser = [], None
    try:
        tap.run("the exporter pushes to InfluxDB with the token from its config file", lambda: wait_until(
            lambda: influx.count("vm_metrics") >= DEMO_DOMAINS, 30, "points in InfluxDB"))

        def vms():
            status, headers, body = http_get(exp.url + "/api/vms")
            assert status == 200 and headers.get("Content-Type") == "application/json", (status, headers)
            got = {d["name"]: d for d in json.loads(body)["domains"]}
            want = demo_domains()
            assert len(want) == DEMO_DOMAINS and set(got) == set(want), (sorted(got), sorted(want))
            for name, (uuid, nics, disks) in want.items():
                d = got[name]
                assert d["uuid"] == uuid and isinstance(d["id"], int) and d["state_name"], d
                assert {n["mac"]: {k: n.get(k) for k in nics[n["mac"]]} for n in d["nics"]} == nics, (name, d["nics"])
                assert all(n["target"] for n in d["nics"]), d["nics"]
                assert {k["target"]: {f: k.get(f) for f in disks[k["target"]]} for k in d["disks"]} == disks, \
                    (name, d["disks"])
            assert got["build-runner-old"]["state_name"] == "shut off", got["build-runner-old"]
            return True
        tap.run("/api/vms lists the five demo domains with every NIC and disk attribute of their XML", vms)

        def config():
            status, headers, body = http_get(exp.url + "/api/config")
            c = json.loads(body)
            assert status == 200 and headers.get("Content-Type") == "application/json", (status, headers)
            assert c["libvirt"]["uri"] == uri and c["push"]["url"] == influx.url, c
            assert c["web"]["listen_addresses"] == [f"127.0.0.1:{exp.port}"], c["web"]
            assert c["push"]["interval"] == 1 and c["push"]["batch_max_sec"] == 0.2, c
            assert c["log"]["level"] == "debug", c["log"]  # from the flag: the logs checked below are at debug
            assert c["push"]["token"] == "***", c["push"]
            return True
        tap.run("/api/config is the effective configuration as JSON, the token masked as ***", config)

        shot = os.path.join(work, "landing.png")
        chromium("--screenshot=" + shot, "--window-size=1200,900", exp.url + "/")

        def screenshot():
            width, height, colors, ink = png_pixels(shot)
            assert (width, height) == (1200, 900), (width, height)
            assert len(colors) >= 10 and 0.005 < ink < 0.5, f"{len(colors)} colours, {ink:.3f} non-white"
            print(f"# screenshot: {width}x{height}, {len(colors)} colours, {ink:.1%} non-white")
            return True
        tap.run("the landing page renders in headless Chromium (a 1200x900 screenshot with text on it)", screenshot)

        dom = chromium("--dump-dom", exp.url + "/")
        version = subprocess.run([exporter_bin, "--version"], capture_output=True, text=True).stdout.split()[-1]
        tap.check(version in dom, f"the rendered page shows the version {version}")
        tap.check(f'<span id="domains">{DEMO_DOMAINS}</span>' in dom, "the rendered page shows the domain count")
        tap.check(all(f"<td>{name}</td>" in dom for name in demo_domains()), "the rendered page lists every domain")
        tap.check('id="libvirt-status">connected<' in dom, "the rendered page shows libvirt connected")
        tap.check('id="push-status">running<' in dom and 'id="push-written">' in dom,
                  "the rendered page shows the push running and its lines written")
        links = ["/metrics", "/healthz", "/readyz", "/api/status", "/api/vms", "/api/config"]
        tap.check(all(f'href="{link}"' in dom for link in links), "the rendered page links every endpoint")
        tap.check(not re.search(r"<(script|link|img|iframe|object)\b|\bsrc=|url\(", dom, re.I),
                  "the page is self-contained (no scripts, stylesheets, images or frames to load)")

        pages = {p: http_get(exp.url + p)[2].decode() for p in ("/", "/api/status", "/api/config", "/api/vms", "/metrics")}
        pages["the rendered DOM"] = dom
        tap.check(not [p for p, text in pages.items() if leaked(text)], "the token appears on no page",
                  [p for p, text in pages.items() if leaked(text)])

        # Error paths: a server that answers 401 (token_file, password in the URL) and a port where nothing
        # listens (INFLUX_TOKEN from the environment, over a config file token it overrides).
        refuser_port, closed_port = free_port(), free_port()
        refuser = subprocess.Popen([sys.executable, "-c", REFUSER, str(refuser_port)], start_new_session=True)
        refused_cfg = push_config("refused.yaml", f"http://user:{URL_PASSWORD}@127.0.0.1:{refuser_port}",
                                  f'  token_file: "{token_file}"\n')
        closed_cfg = push_config("closed.yaml", f"http://127.0.0.1:{closed_port}", f'  token: "{TOKEN}"\n')
        env_token = dict(os.environ, INFLUX_TOKEN=ENV_TOKEN)
        others = [Exporter(exporter_bin, work, uri, ["--config", refused_cfg, *DEBUG]),
                  Exporter(exporter_bin, work, uri, ["--config", closed_cfg, *DEBUG], env=env_token)]
        for other, what in zip(others, ("HTTP 401", "network_error")):
            wait_until(lambda: what in other.output(), 20, f"a failed write ({what}) in the log")
        masked = [json.loads(http_get(o.url + "/api/config")[2])["push"] for o in others]
        tap.check(masked[0]["token"] == "***" and masked[0]["url"] == f"http://user:***@127.0.0.1:{refuser_port}"
                  and masked[1]["token"] == "***", "a token_file token, an INFLUX_TOKEN and a URL password are *** "
                  "in /api/config", masked)
        failing_pages = "".join(http_get(o.url + p)[2].decode()
                                for o in others for p in ("/", "/api/status", "/api/config"))
        tap.check('id="push-status">running<' in failing_pages and "HTTP 401" in failing_pages,
                  "the failing exporters' pages show the push and its last error")
        printed = "".join(subprocess.run([exporter_bin, "--config", cfg, "--print-config", *DEBUG],
                                         capture_output=True, text=True, env=env_token, timeout=30).stdout
                          for cfg in (good_cfg, refused_cfg, closed_cfg))
        tap.check(printed.count('token: "***"') == 3, "--print-config masks the token from each source")
        for o in others:
            o.stop()
        exp.stop()
        logs = exp.output() + "".join(o.output() for o in others)
        echo = Exporter(exporter_bin, work, uri, ["--config", push_config(
            "echo.yaml", f"http://127.0.0.1:{refuser_port}", f'  token_file: "{token_file}"\n', "echo"), *DEBUG])
        try:
            wait_until(lambda: "bad credentials" in echo.output(), 20, "the echoed credentials in the log")
            echoed = echo.output() + "".join(http_get(echo.url + p)[2].decode() for p in ("/", "/api/status"))
        finally:
            echo.stop()
        tap.check(not leaked(echoed), "a server that quotes the token back does not get it into the log or the pages",
                  f"leaked: {leaked(echoed)}")
        for where, text in (("the logs", logs), ("--print-config", printed), ("the failing exporters' pages",
                                                                              failing_pages)):
            tap.check(not leaked(text), f"no secret appears in {where}", f"leaked: {leaked(text)}")
        tap.check("HTTP 401" in logs and "network_error" in logs and "received SIGTERM" in logs,
                  "the logs checked (at log.level debug) include both error paths and the shutdown")
    finally:
        for o in others:
            o.stop()
        exp.stop()
        influx.stop()
        if refuser:
            refuser.kill()
            refuser.wait()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
