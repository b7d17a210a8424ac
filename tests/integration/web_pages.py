#!/usr/bin/env python3
"""The status pages as an operator meets them: /api/vms and /api/config over the demo node, the landing
page rendered by a real headless Chromium (screenshot and DOM), and the push token nowhere — not in
/api/config, /api/status, the landing page, --print-config, or any log line (debug level, pushing to a
real InfluxDB and to a server that fails).

Usage: web_pages.py EXPORTER SOURCE_DIR
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib

from fixtures import Exporter, InfluxDB, free_port, http_get, wait_until, workdir
from tap import Tap

exporter_bin, source_dir = sys.argv[1], sys.argv[2]
tap = Tap()
work = workdir("vexp-web-")
uri = f"test://{source_dir}/config/demo-node.xml"
TOKEN = "s3cr3t-token-XYZ-0f9e"
FILE_TOKEN = "f1le-token-QRS-77aa"
DEMO_DOMAINS = 5


def chromium(*args):
    """Headless Chromium with its own profile in the workdir; returns its stdout."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    home = os.path.join(work, "chromium-home")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, HOME=home)
    p = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", f"--user-data-dir={home}/profile", *args],
                       capture_output=True, text=True, timeout=90, env=env, start_new_session=True)
    return p.stdout


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


influx = InfluxDB(work)
token_file = os.path.join(work, "token")
with open(token_file, "w") as f:
    f.write(FILE_TOKEN + "\n")
cfg = os.path.join(work, "exporter.yaml")
with open(cfg, "w") as f:
    f.write(f"""log:
  level: debug
push:
  url: "{influx.url}"
  database: "{influx.database}"
  interval: 1
  batch_max_sec: 0.2
  token: "{TOKEN}"
""")
exp = Exporter(exporter_bin, work, uri, ["--config", cfg])
failing = None
try:
    tap.run("the exporter pushes to InfluxDB with the token", lambda: wait_until(
        lambda: influx.count("vm_metrics") >= DEMO_DOMAINS, 30, "points in InfluxDB"))

    def vms():
        status, headers, body = http_get(exp.url + "/api/vms")
        assert status == 200 and headers.get("Content-Type") == "application/json", (status, headers)
        domains = json.loads(body)["domains"]
        assert len(domains) == DEMO_DOMAINS, domains
        for d in domains:
            assert d["name"] and d["uuid"] and "state" in d, d
            assert d["nics"] and d["disks"], f"{d['name']} has no NICs or disks"
            assert all(n["target"] and n["mac"] for n in d["nics"]), d["nics"]
            assert all(k["target"] and k["bus"] for k in d["disks"]), d["disks"]
    tap.run("/api/vms lists the five demo domains with their NICs and disks", vms)

    def config():
        status, _, body = http_get(exp.url + "/api/config")
        c = json.loads(body)
        assert status == 200, status
        assert c["libvirt"]["uri"] == uri and c["push"]["url"] == influx.url, c
        assert c["push"]["interval"] == 1 and c["log"]["level"] == "debug", c
        assert c["push"]["token"] == "***", c["push"]
    tap.run("/api/config is the effective configuration as JSON, the token masked as ***", config)

    shot = os.path.join(work, "landing.png")
    chromium("--screenshot=" + shot, "--window-size=1200,900", exp.url + "/")

    def screenshot():
        width, height, colors, ink = png_pixels(shot)
        assert (width, height) == (1200, 900), (width, height)
        assert len(colors) >= 10 and 0.005 < ink < 0.5, f"{len(colors)} colours, {ink:.3f} non-white"
        print(f"# screenshot: {width}x{height}, {len(colors)} colours, {ink:.1%} non-white")
    tap.run("the landing page renders in headless Chromium (a 1200x900 screenshot with text on it)", screenshot)

    dom = chromium("--dump-dom", exp.url + "/")
    version = subprocess.run([exporter_bin, "--version"], capture_output=True, text=True).stdout.split()[-1]
    tap.check(version in dom, f"the rendered page shows the version {version}")
    tap.check(f'<span id="domains">{DEMO_DOMAINS}</span>' in dom, "the rendered page shows the domain count")
    tap.check('id="libvirt-status">connected<' in dom, "the rendered page shows libvirt connected")
    tap.check('id="push-status">running<' in dom and 'id="push-written">' in dom,
              "the rendered page shows the push running and its lines written")

    pages = {p: http_get(exp.url + p)[2].decode() for p in ("/", "/api/status", "/api/config", "/api/vms", "/metrics")}
    leaks = [p for p, text in pages.items() if TOKEN in text] + (["the rendered DOM"] if TOKEN in dom else [])
    tap.check(not leaks, "the token appears on no page", f"found on {leaks}")

    # A server that refuses the token, so the error paths log too.
    bad_port = free_port()
    failing = subprocess.Popen([sys.executable, "-c", f"""
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(401); self.send_header('Content-Length', '12'); self.end_headers()
        self.wfile.write(b'unauthorized')
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', {bad_port}), H).serve_forever()
"""], start_new_session=True)
    bad_cfg = os.path.join(work, "bad.yaml")
    with open(bad_cfg, "w") as f:
        f.write(f"""log:
  level: debug
push:
  url: "http://user:{TOKEN}@127.0.0.1:{bad_port}"
  database: "vms"
  interval: 1
  batch_max_sec: 0.2
  token_file: "{token_file}"
""")
    bad = Exporter(exporter_bin, work, uri, ["--config", bad_cfg])
    try:
        wait_until(lambda: "write failed" in bad.output(), 20, "a failed write in the log")
        tap.check(http_get(bad.url + "/api/config")[2].decode().count("***") >= 2,
                  "a password in the push URL and a token_file token are masked in /api/config")
        bad_pages = "".join(http_get(bad.url + p)[2].decode() for p in ("/", "/api/status", "/api/config"))
    finally:
        bad.stop()
    printed = subprocess.run([exporter_bin, "--config", bad_cfg, "--print-config"], capture_output=True, text=True,
                             env=dict(os.environ, INFLUX_TOKEN=TOKEN)).stdout
    exp.stop()
    logs = exp.output() + bad.output()
    for where, text in (("the logs", logs), ("--print-config", printed), ("the failing exporter's pages", bad_pages)):
        tap.check(TOKEN not in text and FILE_TOKEN not in text, f"neither token appears in {where}",
                  "leaked" if TOKEN in text or FILE_TOKEN in text else "")
    tap.check("HTTP 401" in logs and "received SIGTERM" in logs,
              "the logs checked (at log.level debug) include the 401 error path and the shutdown")
finally:
    exp.stop()
    influx.stop()
    if failing:
        failing.kill()
        failing.wait()
sys.exit(tap.done())
