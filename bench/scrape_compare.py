#!/usr/bin/env python3
"""Scrape cost side by side: virt-exporter (at each libvirt.parallel asked for) vs Debian's
prometheus-libvirt-exporter (kumina 0.2.0) on the same libvirt, and the bare libvirt calls
(bench/bare_stats.cpp) as the floor.

Per scenario the exporters run one after the other (never at once, so they do not share the CPU), each
scraped once to warm up (it fills our device cache) and then ROUNDS times (half as many, at least 3, from
5000 domains on); per exporter: median scrape
latency, CPU time per scrape (the process's utime+stime; and libvirtd's, when it is ours to watch),
peak RSS (VmHWM), the domains it reported and the body size. Our exporter runs with
web.max_snapshot_age 0, so every scrape is a full collection.

  scrape_compare.py EXPORTER BARE_STATS SOURCE_DIR testdriver [--sizes 100,1000,5000] [--in-process 1000]
                    [--parallel 1,2,4] [--parallel-at 1000] [--rounds 5]
      libvirt's test driver: in process (test:///node.xml) at --in-process domains, and over RPC from a
      private libvirtd (fixtures.SessionLibvirtd) at each of --sizes; --parallel at --parallel-at only.
  scrape_compare.py EXPORTER BARE_STATS SOURCE_DIR uri URI --label LABEL [--parallel 1,2,4] [--rounds 5]
      any running libvirt, e.g. qemu:///system with the bench's guests.
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

GO_EXPORTER = "/usr/bin/prometheus-libvirt-exporter"


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"^VmHWM:\s+(\d+)", f.read(), re.M).group(1))


def measure(name, args, port, rounds, work, daemon_pid=None):
    proc = Process(args, os.path.join(work, f"{port}.log"))
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        # Connected and collecting (both export libvirt_up); that scrape is the warm-up.
        wait_until(lambda: b"\nlibvirt_up 1" in http_get(url, timeout=600)[2], 180, f"{name} connected")
        latencies, cpu0 = [], cpu_seconds(proc.pid)
        dcpu0 = cpu_seconds(daemon_pid) if daemon_pid else 0
        body = b""
        for _ in range(rounds):
            t0 = time.monotonic()
            status, _, body = http_get(url, timeout=600)
            latencies.append(time.monotonic() - t0)
            assert status == 200, f"{name}: {status}"
        row = {"exporter": name, "median_seconds": round(statistics.median(latencies), 4),
               "cpu_seconds_per_scrape": round((cpu_seconds(proc.pid) - cpu0) / rounds, 4),
               "peak_rss_kib": peak_rss_kib(proc.pid),
               "domains_reported": len(set(re.findall(rb'domain="((?:[^"\\]|\\.)*)"', body))), "bytes": len(body)}
        if daemon_pid:
            row["libvirtd_cpu_seconds_per_scrape"] = round((cpu_seconds(daemon_pid) - dcpu0) / rounds, 4)
        return row
    finally:
        proc.stop()


def scenario(label, uri, domains, parallels, args, work, daemon_pid=None, per_domain=False):
    rounds = args.rounds if domains < 5000 else max(3, args.rounds // 2)  # keeps the whole run < 15 min
    rows = []
    for p in parallels:
        cfg = os.path.join(work, f"ours-{p}.yaml")
        with open(cfg, "w") as f:
            f.write(f"libvirt:\n  parallel: {p}\n  timeout: 600\nweb:\n  max_snapshot_age: 0\n  scrape_timeout: 600\n")
        port = free_port()
        rows.append(measure(f"virt-exporter parallel={p}", [args.exporter, "--config", cfg, "--libvirt.uri", uri,
                                                              "--web.listen-address", f"127.0.0.1:{port}"],
                            port, rounds, work, daemon_pid))
    port = free_port()
    rows.append(measure("prometheus-libvirt-exporter", [GO_EXPORTER, f"--web.listen-address=127.0.0.1:{port}",
                                                        f"--libvirt.uri={uri}"], port, rounds, work, daemon_pid))
    bare_args = [args.bare, uri, str(rounds)] + (["--per-domain"] if per_domain else [])
    bare = json.loads(subprocess.run(bare_args, capture_output=True, text=True, check=True, timeout=900).stdout)
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
