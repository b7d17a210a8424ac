#!/usr/bin/env python3
"""A drop-in swap: the exporter started with the command lines that start the Go libvirt exporters serves
/metrics and its health path. The arguments are the peers' own, with only the listen address moved to a
free loopback port and the libvirt URI to the test driver:

- inovex/prometheus-libvirt-exporter v2.5, its DaemonSet (contrib/prometheus-libvirt-exporter.yml):
  `--web.health-path=/health`, probed on /health;
- Kolla-Ansible (ansible/roles/prometheus/templates/prometheus-libvirt-exporter.json.j2):
  `--web.listen-address={{ api_interface_address }}:{{ prometheus_libvirt_exporter_port }}`;
- Debian's prometheus-libvirt-exporter 0.2.0 (kumina): its unit runs `prometheus-libvirt-exporter $ARGS`
  with ARGS="" from /etc/default/prometheus-libvirt-exporter, so no flag at all; then kumina's and
  Tinkoff's flags as their man page spells them, in both forms;
- inovex's socket-path form over a real libvirtd socket (a private libvirtd serving the test driver),
  with every other inovex flag set, and its JSON log lines checked.

Usage: go_exporter_flags.py EXPORTER SOURCE_DIR
"""
import json
import os
import re
import sys

from fixtures import Process, SessionLibvirtd, free_port, http_get, metric, wait_until, workdir
from tap import Tap

exporter_bin, source_dir = sys.argv[1], sys.argv[2]
tap = Tap()
work = workdir("vexp-goflags-")
node = os.path.join(source_dir, "config/demo-node.xml")
TEST_URI = f"test://{node}"
DEMO_DOMAINS = 5


def start(name, args, env_uri=None):
    """The exporter with exactly `args` (PORT in them replaced by a free port); returns (process, base URL)."""
    port = free_port()
    args = [a.replace("PORT", str(port)) for a in args]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INFLUX_", "LIBVIRT_"))}
    if env_uri:
        env["LIBVIRT_URI"] = env_uri
    log = os.path.join(work, re.sub(r"[^A-Za-z0-9]+", "-", name) + ".log")
    proc = Process([exporter_bin, *args], log, env=env)
    return proc, f"http://127.0.0.1:{port}"


def serves(proc, url, metrics_path, health_path, domains=DEMO_DOMAINS):
    """Waits until metrics_path has libvirt_up 1 and every demo domain, then checks health_path."""
    def ready():
        status, _, body = http_get(url + metrics_path, timeout=5)
        text = body.decode()
        return status == 200 and metric(text, "libvirt_up") == 1 and metric(text, "libvirt_domains") == domains
    try:
        wait_until(ready, 30, f"{metrics_path} with libvirt_up 1 and {domains} domains")
    except TimeoutError as e:
        return False, f"{e}\n{proc.output()}"
    status, _, body = http_get(url + health_path, timeout=5)
    return status == 200 and body == b"ok\n", f"{health_path}: {status} {body!r}\n{proc.output()}"


def case(name, args, metrics_path="/metrics", health_path="/healthz", env_uri=None):
    proc, url = start(name, args, env_uri)
    try:
        ok, detail = serves(proc, url, metrics_path, health_path)
        tap.check(ok, f"{name}: {metrics_path} and {health_path} answer", detail)
    finally:
        code = proc.stop()
    tap.check(code == 0, f"{name}: exits 0 on SIGTERM", f"exit {code}\n{proc.output()}")
    return proc


LOOPBACK = "127.0.0.1:PORT"

# inovex's DaemonSet passes only the health path; its default listen address is :9177.
case("inovex DaemonSet", ["--web.health-path=/health", f"--web.listen-address={LOOPBACK}",
                          f"--libvirt.uri={TEST_URI}"], health_path="/health")
# inovex's systemd unit: the space form, quoted by systemd.
case("inovex systemd unit", ["--web.listen-address", LOOPBACK, "--libvirt.uri", TEST_URI])
# Kolla-Ansible passes the listen address only; the URI comes from the environment here (its container
# mounts the socket at the default path).
case("Kolla-Ansible", [f"--web.listen-address={LOOPBACK}"], env_uri=TEST_URI)
# Debian's kumina package: ARGS="" — no flag; the listen address and URI as an operator would set them.
case("Debian kumina, ARGS from /etc/default", ["--web.listen-address", LOOPBACK], env_uri=TEST_URI)
case("kumina, every flag, = form", [f"--web.listen-address={LOOPBACK}", "--web.telemetry-path=/kumina",
                                    f"--libvirt.uri={TEST_URI}", "--libvirt.export-nova-metadata"],
     metrics_path="/kumina")
case("kumina and Tinkoff, space form", ["--web.listen-address", LOOPBACK, "--web.telemetry-path", "/tinkoff",
                                        "--libvirt.uri", TEST_URI, "--no-libvirt.export-nova-metadata"],
     metrics_path="/tinkoff")

# A flag of theirs we cannot honour exits 2 naming it and why, before anything starts.
proc, _ = start("systemd socket", ["--web.systemd-socket", f"--web.listen-address={LOOPBACK}"])
code = proc.proc.wait(30)
out = proc.output()
tap.check(code == 2 and "flag --web.systemd-socket: socket activation is not supported" in out,
          "--web.systemd-socket exits 2 naming the flag and why", f"exit {code}: {out}")
proc.stop()

# The socket-path form over a real libvirtd socket, with inovex's other flags; JSON log lines.
daemon = SessionLibvirtd(work, node)
try:
    args = [f"--libvirt.uri={daemon.socket}", "--libvirt.driver", f"test://{daemon.node}",
            "--exporter.timeout=5s", "--exporter.max-concurrent-collects", "2", "--web.telemetry-path=/m",
            "--web.health-path", "/health", "--log.format=json", "--log.level", "debug",
            "--web.listen-address", LOOPBACK]
    proc = case("inovex socket path over RPC, every flag", args, metrics_path="/m", health_path="/health")
    lines = [line for line in proc.output().splitlines() if line.strip()]
    bad = []
    for line in lines:
        try:
            obj = json.loads(line)
            if not {"level", "subsystem", "msg"} <= obj.keys():
                bad.append(line)
        except ValueError:
            bad.append(line)
    tap.check(lines and not bad, f"--log.format=json: all {len(lines)} log lines are JSON objects",
              "\n".join(bad[:5]))
    tap.check(any(f"test+unix://{daemon.node}?socket=" in line for line in lines),
              "the socket path opens the driver through that socket (test+unix://...?socket=...)",
              "\n".join(lines[:10]))
finally:
    daemon.stop()

sys.exit(tap.done())
