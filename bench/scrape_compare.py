#!/usr/bin/env python3
"""Scrape cost side by side: virt-exporter (at each libvirt.parallel asked for) vs Debian's
prometheus-libvirt-exporter (kumina 0.2.0) on the same libvirt, and the bare libvirt calls
(bench/bare_stats.cpp) as the floor.

Per scenario the exporters run side by side, each scraped once to warm up (it fills our device cache), then
in turn together with one round of the bare calls, ROUNDS rounds (half as many, at least 3, from 5000
domains on), so that the shared machine's changing load hits all alike; per exporter: median scrape
latency, CPU time per scrape (the process's utime+stime; libvirtd's, when it is ours to watch; and on
qemu:///system the guests' QEMUs' beyond their idle rate, bench/host_cost.py), peak RSS (VmHWM), the domains it reported and the body size. Our exporter runs with
web.max_snapshot_age 0, so every scrape is a full collection.

  scrape_compare.py EXPORTER BARE_STATS SOURCE_DIR testdriver [--sizes 100,1000,5000] [--in-process 1000]
                    [--parallel 1,2,4] [--parallel-at 1000] [--rounds 5]
      libvirt's test driver: in process (test:///node.xml) at --in-process domains, and over RPC from a
      private libvirtd (fixtures.SessionLibvirtd) at each of --sizes; --parallel at --parallel-at only.
  scrape_compare.py EXPORTER BARE_STATS SOURCE_DIR uri URI --label LABEL [--parallel 1,2,4] [--rounds 5]
      any running libvirt, e.g. qemu:///system with the bench's guests.
  --baseline OTHER_EXPORTER (either mode) adds another build of virt-exporter, e.g. main before a change, as
      "virt-exporter baseline parallel=1" beside ours in every scenario: a change's cost is the ratio of the
      two rows, and two runs' ratios give the noise.
Prints one JSON line per exporter and scenario.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from fixtures import Process, SessionLibvirtd, free_port, http_get, wait_until, workdir  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from host_cost import QemuCpu, cpu_seconds, peak_rss_kib  # noqa: E402

GO_EXPORTER = "/usr/bin/prometheus-libvirt-exporter"


class Target:
    """One exporter process under measurement, with its samples."""

    def __init__(self, name, args, port, work):
        self.name, self.url = name, f"http://127.0.0.1:{port}/metrics"
        self.proc = Process(args, os.path.join(work, f"{port}.log"))
        self.latencies, self.cpu, self.daemon_cpu, self.qemu_cpu, self.body = [], 0.0, 0.0, 0.0, b""

    def warm_up(self):
        # Connected and collecting (both exporters export libvirt_up); that scrape is the warm-up.
        wait_until(lambda: b"\nlibvirt_up 1" in http_get(self.url, timeout=900)[2], 300, f"{self.name} connected")

    def scrape(self, daemon_pid, qemu):
        cpu0, dcpu0, qcpu0 = cpu_seconds(self.proc.pid), cpu_seconds(daemon_pid) if daemon_pid else 0, qemu.total()
        t0 = time.monotonic()
        status, _, self.body = http_get(self.url, timeout=900)
        self.latencies.append(time.monotonic() - t0)
        self.cpu += cpu_seconds(self.proc.pid) - cpu0
        self.daemon_cpu += cpu_seconds(daemon_pid) - dcpu0 if daemon_pid else 0
        self.qemu_cpu += qemu.attributable(qemu.total() - qcpu0, self.latencies[-1])
        assert status == 200, f"{self.name}: {status}"

    def row(self, daemon_pid, qemu):
        n = len(self.latencies)
        row = {"exporter": self.name, "median_seconds": round(statistics.median(self.latencies), 4),
               "cpu_seconds_per_scrape": round(self.cpu / n, 4), "peak_rss_kib": peak_rss_kib(self.proc.pid),
               "domains_reported": len(set(re.findall(rb'domain="((?:[^"\\]|\\.)*)"', self.body))),
               "bytes": len(self.body)}
        if daemon_pid:
            row["libvirtd_cpu_seconds_per_scrape"] = round(self.daemon_cpu / n, 4)
        if qemu.pids:
            row["qemu_cpu_seconds_per_scrape"] = round(self.qemu_cpu / n, 4)
        return row


def bare_round(bare_args):
    """One timed round of the bare calls (bench/bare_stats.cpp with ROUNDS 0)."""
    return json.loads(subprocess.run(bare_args, capture_output=True, text=True, check=True, timeout=900).stdout)


def scenario(label, uri, domains, parallels, args, work, daemon_pid=None, per_domain=False):
    """All exporters run at once (idle between their scrapes: no push, web.max_snapshot_age 0) and are
    scraped in turn, round after round, so a change in the machine's load hits them alike."""
    rounds = args.rounds if domains < 5000 else max(3, args.rounds // 2)  # keeps the whole run < 15 min
    targets = []
    try:
        for p in parallels:
            cfg = os.path.join(work, f"ours-{p}.yaml")
            with open(cfg, "w") as f:
                f.write(f"libvirt:\n  parallel: {p}\n  timeout: 900\n"
                        "web:\n  max_snapshot_age: 0\n  scrape_timeout: 900\n")
            port = free_port()
            targets.append(Target(f"virt-exporter parallel={p}", [args.exporter, "--config", cfg, "--libvirt.uri", uri,
                                                                    "--web.listen-address", f"127.0.0.1:{port}"],
                                  port, work))
            if args.baseline and p == parallels[0]:
                port = free_port()
                targets.append(Target(f"virt-exporter baseline parallel={p}",
                                      [args.baseline, "--config", cfg, "--libvirt.uri", uri,
                                       "--web.listen-address", f"127.0.0.1:{port}"], port, work))
        port = free_port()
        targets.append(Target("prometheus-libvirt-exporter", [GO_EXPORTER, f"--web.listen-address=127.0.0.1:{port}",
                                                              f"--libvirt.uri={uri}"], port, work))
        for t in targets:
            t.warm_up()
        qemu = QemuCpu.for_uri(uri)
        qemu.measure_idle()  # every exporter is idle now: the guests' own rate
        bare_args = [args.bare, uri, "0"] + (["--per-domain"] if per_domain else [])
        bares = [bare_round(bare_args)]  # the warm-up
        for _ in range(rounds):
            for t in targets:
                t.scrape(daemon_pid, qemu)
            bares.append(bare_round(bare_args))
        rows = [t.row(daemon_pid, qemu) for t in targets]
    finally:
        for t in targets:
            t.proc.stop()
    bare = bares[-1]
    for key in ("median_seconds", "per_domain_seconds", "bulk_plus_per_domain_seconds"):
        if key in bare:
            bare[key] = round(statistics.median(b[key] for b in bares[1:]), 4)
    bare["exporter"] = "bare libvirt calls"
    rows.append(bare)
    for row in rows:
        print(json.dumps({"scenario": label, "domains": domains, **row}), flush=True)


def testdriver(args, work):
    gen = os.path.join(args.source_dir, "tests", "fixtures", "nodes", "generate_node.py")
    parallels = [int(x) for x in args.parallel.split(",")]

    def node(n):
        path = os.path.join(work, f"node-{n}.xml")
        if not os.path.exists(path):
            subprocess.run([sys.executable, gen, str(n), "-o", path], check=True)
        return path

    if args.in_process:
        scenario("test driver, in process", f"test://{node(args.in_process)}", args.in_process, [1], args, work,
                 per_domain=True)
    for n in [int(x) for x in args.sizes.split(",") if x]:
        daemon = SessionLibvirtd(work, node(n))
        try:
            scenario("test driver over RPC (libvirtd)", daemon.uri, n, parallels if n == args.parallel_at else [1],
                     args, work, daemon_pid=daemon.pid, per_domain=True)
        finally:
            daemon.stop()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("exporter")
    p.add_argument("bare")
    p.add_argument("source_dir")
    sub = p.add_subparsers(dest="mode", required=True)
    t = sub.add_parser("testdriver")
    t.add_argument("--sizes", default="100,1000,5000")
    t.add_argument("--in-process", type=int, default=1000)
    t.add_argument("--parallel", default="1,2,4")
    t.add_argument("--parallel-at", type=int, default=1000)
    u = sub.add_parser("uri")
    u.add_argument("uri")
    u.add_argument("--label", required=True)
    u.add_argument("--domains", type=int, default=0)
    u.add_argument("--parallel", default="1,2,4")
    u.add_argument("--libvirtd-pid", type=int)
    for s in (t, u):
        s.add_argument("--rounds", type=int, default=5)
        s.add_argument("--baseline", help="another virt-exporter binary, measured beside EXPORTER")
    args = p.parse_args()
    if not os.path.exists(GO_EXPORTER):
        sys.exit(f"{GO_EXPORTER} missing: apt-get install prometheus-libvirt-exporter")
    work = workdir("vexp-bench-")
    if args.mode == "testdriver":
        testdriver(args, work)
    else:
        scenario(args.label, args.uri, args.domains, [int(x) for x in args.parallel.split(",")], args, work,
                 daemon_pid=args.libvirtd_pid)


if __name__ == "__main__":
    main()
