#!/usr/bin/env python3
"""Two builds of the exporter side by side (A/B): the same in-process test-driver node, both running at
once and scraped in turn, round after round, so the shared machine's load hits both alike; per build the
median scrape latency and the mean CPU per scrape (utime+stime), plain and with `Accept-Encoding: gzip` (what
Prometheus sends). Used for the cost of a change, e.g. the own instrumentation (issue 22): BEFORE is a
build of the parent commit, AFTER this one.

  ab_scrape.py BEFORE_EXPORTER AFTER_EXPORTER SOURCE_DIR [--domains 1000] [--rounds 30] [--parallel 1]

Prints one JSON line per build and encoding, then one with the ratios (after ÷ before).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from scrape_compare import Target, cpu_seconds, free_port, http_get, workdir


class Build(Target):
    """One exporter build; scrape(gzip) asks for the compressed answer as Prometheus does."""

    def __init__(self, name, exporter, uri, parallel, work):
        cfg = os.path.join(work, f"{name}.yaml")
        with open(cfg, "w") as f:
            f.write(f"libvirt:\n  parallel: {parallel}\n  timeout: 900\n"
                    "web:\n  max_snapshot_age: 0\n  scrape_timeout: 900\n")
        port = free_port()
        super().__init__(name, [exporter, "--config", cfg, "--libvirt.uri", uri,
                                "--web.listen-address", f"127.0.0.1:{port}"], port, work)
        self.samples = {False: ([], []), True: ([], [])}  # gzip → (latencies, cpu seconds)

    def scrape_once(self, gzip):
        headers = {"Accept-Encoding": "gzip"} if gzip else {}
        cpu0, t0 = cpu_seconds(self.proc.pid), time.monotonic()
        status, _, _ = http_get(self.url, headers=headers, timeout=900)
        latencies, cpu = self.samples[gzip]
        latencies.append(time.monotonic() - t0)
        cpu.append(cpu_seconds(self.proc.pid) - cpu0)
        assert status == 200, f"{self.name}: {status}"

    def rows(self):
        for gzip, (latencies, cpu) in self.samples.items():
            yield {"build": self.name, "gzip": gzip, "rounds": len(latencies),
                   "median_seconds": round(statistics.median(latencies), 4),
                   # The mean: /proc counts CPU in 10 ms ticks, too coarse for a median of single scrapes.
                   "cpu_seconds_per_scrape": round(sum(cpu) / len(cpu), 4)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("source_dir")
    p.add_argument("--domains", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--parallel", type=int, default=1)
    args = p.parse_args()
    work = workdir("vexp-ab-")
    node = os.path.join(work, "node.xml")
    subprocess.run([sys.executable, os.path.join(args.source_dir, "tests", "fixtures", "nodes", "generate_node.py"),
                    str(args.domains), "-o", node], check=True)
    uri = f"test://{node}"
    builds = []
    try:
        builds = [Build("before", args.before, uri, args.parallel, work),
                  Build("after", args.after, uri, args.parallel, work)]
        for b in builds:
            b.warm_up()
        for _ in range(args.rounds):
            for gzip in (False, True):
                for b in builds:
                    b.scrape_once(gzip)
        rows = [r for b in builds for r in b.rows()]
    finally:
        for b in builds:
            b.proc.stop()
    for r in rows:
        print(json.dumps({"domains": args.domains, **r}), flush=True)
    for gzip in (False, True):
        before, after = (next(r for r in rows if r["build"] == n and r["gzip"] == gzip) for n in ("before", "after"))
        print(json.dumps({"domains": args.domains, "gzip": gzip,
                          "latency_after_over_before": round(after["median_seconds"] / before["median_seconds"], 3),
                          "cpu_after_over_before": round(after["cpu_seconds_per_scrape"]
                                                         / before["cpu_seconds_per_scrape"], 3)}), flush=True)


if __name__ == "__main__":
    main()
