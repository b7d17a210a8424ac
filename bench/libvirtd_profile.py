#!/usr/bin/env python3
"""Where libvirtd's time goes during our split collection: `perf record` of libvirtd (all threads,
call graphs off: Debian's libvirt has no frame pointers) while virt-exporter (libvirt.parallel P,
web.max_snapshot_age 0, so every scrape is a full collection) is scraped ROUNDS times; prints one JSON
line with the top symbols by share of libvirtd's samples, and the shares by library (dso).

  libvirtd_profile.py EXPORTER URI LIBVIRTD_PID --domains K [--parallel 1] [--rounds 5] [--top 15]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "integration"))
from fixtures import Process, free_port, http_get, wait_until, workdir  # noqa: E402


def report(data, sort):
    """[(percent, name)] of `perf report` sorted by `sort` (dso or sym), highest first."""
    out = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", sort,
                          "--percent-limit", "0.5"], capture_output=True, text=True, timeout=300).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(.*\S)", line)
        if m and not line.lstrip().startswith("#"):
            rows.append((float(m.group(1)), re.sub(r"\s+", " ", m.group(2))))
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("exporter")
    p.add_argument("uri")
    p.add_argument("libvirtd_pid", type=int)
    p.add_argument("--domains", type=int, required=True)
    p.add_argument("--parallel", type=int, default=1)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--top", type=int, default=15)
    args = p.parse_args()
    work = workdir("vexp-bench-perf-")
    cfg = os.path.join(work, "ours.yaml")
    with open(cfg, "w") as f:
        f.write(f"libvirt:\n  parallel: {args.parallel}\n  timeout: 900\nweb:\n  max_snapshot_age: 0\n")
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    ours = Process([args.exporter, "--config", cfg, "--libvirt.uri", args.uri,
                    "--web.listen-address", f"127.0.0.1:{port}"], os.path.join(work, "ours.log"))
    data = os.path.join(work, "perf.data")
    try:
        wait_until(lambda: b"\nlibvirt_up 1" in http_get(url, timeout=900)[2], 300, "virt-exporter connected")
        perf = subprocess.Popen(["perf", "record", "-q", "-F", "499", "-p", str(args.libvirtd_pid), "-o", data],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)  # perf attached to every thread
        t0 = time.monotonic()
        for _ in range(args.rounds):
            http_get(url, timeout=900)
        seconds = time.monotonic() - t0
        perf.send_signal(2)  # SIGINT: perf writes its data and exits
        perf.wait(timeout=120)
        print(json.dumps({"bench": "libvirtd_profile", "domains": args.domains, "parallel": args.parallel,
                          "rounds": args.rounds, "seconds": round(seconds, 2),
                          "by_library": report(data, "dso")[:8], "top_symbols": report(data, "sym")[:args.top]}),
              flush=True)
    finally:
        ours.stop()


if __name__ == "__main__":
    main()
