#!/usr/bin/env python3
"""The cost of one collection interval when the agent collects on its own clock: virt-exporter pushing to
InfluxDB 1.6 vs collectd 5.12 (Debian `collectd-core`; virt plugin, `network` into InfluxDB's collectd
listener, `write_prometheus` on loopback), both with the same Interval, on the same libvirt.

Scrape latency means nothing for collectd (it serves what it collected last), so this measures what is
comparable, per interval: the agent's CPU, libvirtd's (when it is ours to watch), the guests' QEMUs' beyond
their idle rate (bench/host_cost.py), the points and bytes InfluxDB received (its own counters, SHOW
STATS: `httpd` for our /write, `collectd` for collectd's UDP), and at the end peak RSS and the series per
domain each serves for Prometheus. The agents run one after the other (never at once: both would load the
same libvirtd and QEMUs), each warmed up for 2 intervals, then measured over INTERVALS.

collectd's configuration is the one its man page gives for per-VM monitoring, with the ExtraStats that
cover what we export by default (say why in bench/README.md): per-vCPU time (vcpu), user/system time
(pcpu), disk flushes and times (disk), disk errors (disk_err), state (domain_state), the memory stats
(memory), disk capacity/allocation/physical, and background jobs (job_stats_background).

  interval_compare.py EXPORTER SOURCE_DIR testdriver [--domains 1000] [--interval 5] [--intervals 6]
  interval_compare.py EXPORTER SOURCE_DIR uri URI --label LABEL --domains K [--libvirtd-pid PID] [...]
Prints one JSON line per agent ("mode": "interval").
"""
import argparse
import json
import os
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))
sys.path.insert(0, here)
from fixtures import Exporter, InfluxDB, Process, free_port, http_get, wait_until, workdir  # noqa: E402
from host_cost import QemuCpu, cpu_seconds, peak_rss_kib  # noqa: E402

COLLECTD = "/usr/sbin/collectd"
EXTRA_STATS = ("vcpu pcpu disk disk_err domain_state memory disk_capacity disk_allocation disk_physical "
               "job_stats_background")


def influx_counters(influx, section):
    """(points, bytes) InfluxDB has taken in through `section` ("httpd" or "collectd") since it started."""
    keys = {"httpd": ("pointsWrittenOK", "writeReqBytes"), "collectd": ("pointsRx", "bytesRx")}[section]
    points = nbytes = 0
    for s in influx.query("SHOW STATS"):
        if s.get("name") == section:
            row = dict(zip(s["columns"], s["values"][0]))
            points += row.get(keys[0], 0) or 0
            nbytes += row.get(keys[1], 0) or 0
    return points, nbytes


def series_per_domain(body, label, domains):
    lines = [line for line in body.splitlines() if line and not line.startswith("#") and f'{label}="' in line]
    return round(len(lines) / domains, 1) if domains else 0


class Ours:
    name, section, label = "virt-exporter (push)", "httpd", "domain"

    def __init__(self, args, uri, influx, work):
        cfg = os.path.join(work, "ours.yaml")
        with open(cfg, "w") as f:
            f.write(f'push:\n  url: "{influx.url}"\n  database: "{influx.database}"\n  interval: {args.interval}\n')
        self.proc = Exporter(args.exporter, work, uri, ["--config", cfg])

    def body(self):
        return self.proc.metrics()


class Collectd:
    name, section, label = "collectd 5.12", "collectd", "virt"

    def __init__(self, args, uri, influx, work):
        self.port = free_port()
        cfg = os.path.join(work, "collectd.conf")
        with open(cfg, "w") as f:
            f.write(f"""Hostname "bench-host"
FQDNLookup false
BaseDir "{work}"
PIDFile "{work}/collectd.pid"
PluginDir "/usr/lib/collectd"
TypesDB "/usr/share/collectd/types.db"
Interval {args.interval}
LoadPlugin logfile
<Plugin logfile>
  LogLevel warning
  File STDERR
</Plugin>
LoadPlugin virt
LoadPlugin network
LoadPlugin write_prometheus
<Plugin virt>
  Connection "{uri}"
  HostnameFormat "hostname"
  PluginInstanceFormat "name"
  ExtraStats "{EXTRA_STATS}"
</Plugin>
<Plugin network>
  Server "127.0.0.1" "{influx.collectd_port}"
</Plugin>
<Plugin write_prometheus>
  Host "127.0.0.1"
  Port "{self.port}"
</Plugin>
""")
        self.proc = Process([COLLECTD, "-f", "-C", cfg], os.path.join(work, "collectd.log"))

    def body(self):
        status, _, body = http_get(f"http://127.0.0.1:{self.port}/metrics", timeout=60)
        assert status == 200, f"collectd's write_prometheus answered {status}"
        return body.decode("utf-8", "replace")


def measure(agent_class, args, uri, domains, label, work, daemon_pid, qemu):
    influx = InfluxDB(work, collectd_port=free_port() if agent_class is Collectd else None)
    agent = None
    try:
        agent = agent_class(args, uri, influx, work)
        section = agent_class.section
        # Warm-up: two intervals' points arrived (our device cache and collectd's device list are filled).
        wait_until(lambda: influx_counters(influx, section)[0] > 0, 120 + 4 * args.interval, f"{agent.name} points")
        time.sleep(2 * args.interval)
        p0, b0 = influx_counters(influx, section)
        c0, d0, q0, t0 = cpu_seconds(agent.proc.pid), cpu_seconds(daemon_pid) if daemon_pid else 0, qemu.total(), \
            time.monotonic()
        time.sleep(args.intervals * args.interval)
        p1, b1 = influx_counters(influx, section)
        c1, d1, q1, t1 = cpu_seconds(agent.proc.pid), cpu_seconds(daemon_pid) if daemon_pid else 0, qemu.total(), \
            time.monotonic()
        n = (t1 - t0) / args.interval
        row = {"scenario": label, "domains": domains, "exporter": agent.name, "mode": "interval",
               "interval_seconds": args.interval, "intervals": round(n, 1),
               "cpu_seconds_per_interval": round((c1 - c0) / n, 4),
               "points_per_interval": round((p1 - p0) / n), "bytes_per_interval": round((b1 - b0) / n),
               "peak_rss_kib": peak_rss_kib(agent.proc.pid),
               "series_per_domain": series_per_domain(agent.body(), agent_class.label, domains)}
        if daemon_pid:
            row["libvirtd_cpu_seconds_per_interval"] = round((d1 - d0) / n, 4)
        if qemu.pids:
            row["qemu_cpu_seconds_per_interval"] = round(qemu.attributable(q1 - q0, t1 - t0) / n, 4)
        print(json.dumps(row), flush=True)
    finally:
        if agent:
            agent.proc.stop()
        influx.stop()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("exporter")
    p.add_argument("source_dir")
    sub = p.add_subparsers(dest="mode", required=True)
    t = sub.add_parser("testdriver")
    t.add_argument("--domains", type=int, default=1000)
    u = sub.add_parser("uri")
    u.add_argument("uri")
    u.add_argument("--label", required=True)
    u.add_argument("--domains", type=int, required=True)
    u.add_argument("--libvirtd-pid", type=int)
    for s in (t, u):
        s.add_argument("--interval", type=int, default=5)
        s.add_argument("--intervals", type=int, default=6)
    args = p.parse_args()
    if not os.path.exists(COLLECTD):
        sys.exit(f"{COLLECTD} missing: tools/install-deps bench")
    work = workdir("vexp-bench-interval-")
    if args.mode == "testdriver":
        node = os.path.join(work, "node.xml")
        subprocess.run([sys.executable, os.path.join(args.source_dir, "tests", "fixtures", "nodes",
                                                     "generate_node.py"), str(args.domains), "-o", node], check=True)
        uri, label, daemon_pid = f"test://{node}", "test driver, in process", None
    else:
        uri, label, daemon_pid = args.uri, args.label, args.libvirtd_pid
    qemu = QemuCpu.for_uri(uri)
    qemu.measure_idle()  # nothing to measure without QEMUs
    for agent_class in (Ours, Collectd):
        measure(agent_class, args, uri, args.domains, label, work, daemon_pid, qemu)


if __name__ == "__main__":
    main()
