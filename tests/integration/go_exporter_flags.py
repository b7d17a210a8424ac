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

DEMO_DOMAINS = 5
LOOPBACK = "127.0.0.1:PORT"


class Runner:
    """Starts the exporter with exactly the arguments given and checks what it serves."""

    def __init__(self, tap, exporter_bin, work):
        self.tap, self.exporter_bin, self.work = tap, exporter_bin, work

    def start(self, name, args, env_uri=None):
        """The exporter with `args` (PORT in them replaced by a free port); returns (process, base URL)."""
        port = free_port()
        args = [a.replace("PORT", str(port)) for a in args]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INFLUX_", "LIBVIRT_"))}
        if env_uri:
            env["LIBVIRT_URI"] = env_uri
        log = os.path.join(self.work, re.sub(r"[^A-Za-z0-9]+", "-", name) + ".log")
        return Process([self.exporter_bin, *args], log, env=env), f"http://127.0.0.1:{port}"

    def case(self, name, args, metrics_path="/metrics", health_path="/healthz", env_uri=None):
        """Two checks: metrics_path has libvirt_up 1 and every demo domain, health_path answers as /healthz;
        and the exporter exits 0 on SIGTERM. Returns the stopped process (its output stays readable)."""
        proc, url = self.start(name, args, env_uri)
        try:
            ok, detail = serves(proc, url, metrics_path, health_path)
            self.tap.check(ok, f"{name}: {metrics_path} and {health_path} answer", detail)
        finally:
            code = proc.stop()
        self.tap.check(code == 0, f"{name}: exits 0 on SIGTERM", f"exit {code}\n{proc.output()}")
        return proc


def serves(proc, url, metrics_path, health_path):
    """Waits until metrics_path has libvirt_up 1 and every demo domain, then checks health_path."""
    def ready():
        status, _, body = http_get(url + metrics_path, timeout=5)
        text = body.decode()
        return status == 200 and metric(text, "libvirt_up") == 1 and metric(text, "libvirt_domains") == DEMO_DOMAINS
    try:
        wait_until(ready, 30, f"{metrics_path} with libvirt_up 1 and {DEMO_DOMAINS} domains")
    except TimeoutError as e:
        return False, f"{e}\n{proc.output()}"
    status, _, body = http_get(url + health_path, timeout=5)
    return status == 200 and body == b"ok\n", f"{health_path}: {status} {body!r}\n{proc.output()}"


def json_log_lines(tap, output):
    """One check: every line the exporter wrote is a JSON object with level, subsystem and msg."""
    lines = [line for line in output.splitlines() if line.strip()]
    bad = []
    for line in lines:
        try:
            if not {"level", "subsystem", "msg"} <= json.loads(line).keys():
                bad.append(line)
        except (ValueError, AttributeError):
            bad.append(line)
    tap.check(lines and not bad, f"--log.format=json: all {len(lines)} log lines are JSON objects", "\n".join(bad[:5]))
    return lines


def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-goflags-")
    node = os.path.join(source_dir, "config/demo-node.xml")
    test_uri = f"test://{node}"
    run = Runner(tap, exporter_bin, work)

    # inovex's DaemonSet passes only the health path; its default listen address is :9177.
    run.case("inovex DaemonSet", ["--web.health-path=/health", f"--web.listen-address={LOOPBACK}",
                                  f"--libvirt.uri={test_uri}"], health_path="/health")
    # inovex's systemd unit: the space form.
    run.case("inovex systemd unit", ["--web.listen-address", LOOPBACK, "--libvirt.uri", test_uri])
    # Kolla-Ansible passes the listen address only; the URI comes from the environment here (its container
    # mounts the socket at the default path).
    run.case("Kolla-Ansible", [f"--web.listen-address={LOOPBACK}"], env_uri=test_uri)
    # Debian's kumina package: ARGS="" - no flag; the listen address and URI as an operator would set them.
    run.case("Debian kumina, ARGS from /etc/default", ["--web.listen-address", LOOPBACK], env_uri=test_uri)
    run.case("kumina, every flag, = form", [f"--web.listen-address={LOOPBACK}", "--web.telemetry-path=/kumina",
                                            f"--libvirt.uri={test_uri}", "--libvirt.export-nova-metadata"],
             metrics_path="/kumina")
    run.case("kumina and Tinkoff, space form", ["--web.listen-address", LOOPBACK, "--web.telemetry-path", "/tinkoff",
                                                "--libvirt.uri", test_uri, "--no-libvirt.export-nova-metadata"],
             metrics_path="/tinkoff")

    # A flag of theirs we cannot honour exits 2 naming it and why, before anything starts.
    proc, _ = run.start("systemd socket", ["--web.systemd-socket", f"--web.listen-address={LOOPBACK}"])
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
        proc = run.case("inovex socket path over RPC, every flag", args, metrics_path="/m", health_path="/health")
        lines = json_log_lines(tap, proc.output())
        tap.check(any(f"test+unix://{daemon.node}?socket=" in line for line in lines),
                  "the socket path opens the driver through that socket (test+unix://...?socket=...)",
                  "\n".join(lines[:10]))
    finally:
        daemon.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
