#!/usr/bin/env python3
"""Scrape cost side by side: virt-exporter vs Debian's prometheus-libvirt-exporter (kumina 0.2.0) on the
same libvirt, and the bare virConnectGetAllDomainStats call (bench/bare_stats.cpp) as the floor.

For each scenario the two exporters run one after the other (never at once, so they do not share the
CPU), each scraped once to warm up and then ROUNDS times; printed per exporter: median scrape latency,
CPU time per scrape (the process's utime+stime), peak RSS (VmHWM) and the domains it reported. Our
exporter runs with web.max_snapshot_age 0, so every scrape is a full collection.

Usage: scrape_compare.py EXPORTER BARE_STATS SOURCE_DIR [--sizes 100,1000,5000] [--rounds 5]
Prints one JSON line per measurement.
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


def measure(name, args, port, rounds, work):
    proc = Process(args, os.path.join(work, f"{name}-{port}.log"))
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        # Connected and collecting (both export libvirt_up), then one scrape to warm up.
        wait_until(lambda: b"\nlibvirt_up 1" in http_get(url, timeout=600)[2], 120, f"{name} connected")
        latencies, cpu0 = [], cpu_seconds(proc.pid)
        body = b""
        for _ in range(rounds):
            t0 = time.monotonic()
            status, _, body = http_get(url, timeout=600)
            latencies.append(time.monotonic() - t0)
            assert status == 200, f"{name}: {status}"
        cpu = (cpu_seconds(proc.pid) - cpu0) / rounds
        domains = len(set(re.findall(rb'domain="((?:[^"\\]|\\.)*)"', body)))
        return {"exporter": name, "median_seconds": round(statistics.median(latencies), 4),
                "cpu_seconds_per_scrape": round(cpu, 4), "peak_rss_kib": peak_rss_kib(proc.pid),
                "domains_reported": domains, "bytes": len(body)}
    finally:
        proc.stop()


def scenario(label, uri, domains, args, work):
    ours_cfg = os.path.join(work, "ours.yaml")
    with open(ours_cfg, "w") as f:
        f.write("web:\n  max_snapshot_age: 0\n  scrape_timeout: 600\n")
    port = free_port()
    ours = measure("virt-exporter", [args.exporter, "--config", ours_cfg, "--libvirt.uri", uri,
                                     "--web.listen-address", f"127.0.0.1:{port}"], port, args.rounds, work)
    port = free_port()
    go = measure("prometheus-libvirt-exporter", [GO_EXPORTER, f"--web.listen-address=127.0.0.1:{port}",
                                                 f"--libvirt.uri={uri}"], port, args.rounds, work)
    bare = json.loads(subprocess.run([args.bare, uri, str(args.rounds)], capture_output=True, text=True,
                                     check=True, timeout=600).stdout)
    row = {"scenario": label, "domains": domains, "ours": ours, "go": go, "bare_bulk_seconds": bare["median_seconds"],
           "speedup_vs_go": round(go["median_seconds"] / ours["median_seconds"], 2),
           "cpu_ratio_go_over_ours": round(go["cpu_seconds_per_scrape"] / max(ours["cpu_seconds_per_scrape"], 1e-4), 2),
           "rss_ratio_ours_over_go": round(ours["peak_rss_kib"] / go["peak_rss_kib"], 3),
           "ours_over_bare_bulk": round(ours["median_seconds"] / max(bare["median_seconds"], 1e-4), 1)}
    print(json.dumps(row), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("exporter")
    p.add_argument("bare")
    p.add_argument("source_dir")
    p.add_argument("--sizes", default="100,1000,5000")
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    if not os.path.exists(GO_EXPORTER):
        sys.exit(f"{GO_EXPORTER} missing: apt-get install prometheus-libvirt-exporter")
    work = workdir("vexp-bench-")
    gen = os.path.join(args.source_dir, "tests", "fixtures", "nodes", "generate_node.py")
    node = os.path.join(work, "node-1000.xml")
    subprocess.run([sys.executable, gen, "1000", "-o", node], check=True)
    scenario("in-process test driver", f"test://{node}", 1000, args, work)
    for n in [int(x) for x in args.sizes.split(",")]:
        node = os.path.join(work, f"node-{n}.xml")
        subprocess.run([sys.executable, gen, str(n), "-o", node], check=True)
        daemon = SessionLibvirtd(work, node)
        try:
            scenario("RPC test driver (libvirtd)", daemon.uri, n, args, work)
        finally:
            daemon.stop()


if __name__ == "__main__":
    main()
