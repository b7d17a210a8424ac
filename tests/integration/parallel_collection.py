#!/usr/bin/env python3
"""libvirt.parallel over real RPC: a collection split over two connections (a private libvirtd serving the
test driver) gives the records of the single bulk call, in the same order, with the same devices and
statistics; the exporter serves them on /metrics and reconnects all its connections after a daemon
restart.

Usage: parallel_collection.py EXPORTER SOURCE_DIR   (prints TAP)
"""
import json
import os
import subprocess
import sys

from fixtures import Exporter, SessionLibvirtd, exporter_config, wait_until, workdir
from tap import Tap

# Values the test driver derives from the clock (times and the NIC and disk counters): they move between
# two collections.
MOVING = {"time", "user", "system", "last_update", "duration_seconds", "taken_at", "errors"}
COUNTER = ("rx_", "tx_", "rd_", "wr_", "fl_")


def config(work, parallel):
    return exporter_config(os.path.join(work, f"parallel-{parallel}.yaml"), libvirt={"parallel": parallel},
                           web={"max_snapshot_age": 0})


def once(exporter, uri, cfg):
    out = subprocess.run([exporter, "--config", cfg, "--libvirt.uri", uri, "--once"], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    return json.loads(out)


def stable(value):
    """`value` with the clock-derived numbers blanked, for comparing two collections."""
    if isinstance(value, dict):
        return {k: ("~" if k in MOVING or k.startswith(COUNTER) else stable(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def same_domains(split, bulk, ordered=True):
    """Same records; `ordered`: in the same order too. (Two processes with in-process test drivers of
    their own list the domains in different orders, as libvirt's hash tables are seeded per process.)"""
    key = (lambda d: 0) if ordered else (lambda d: d["name"])
    split_domains, bulk_domains = sorted(split["domains"], key=key), sorted(bulk["domains"], key=key)
    assert [d["name"] for d in split_domains] == [d["name"] for d in bulk_domains], "domain order differs"
    for s, b in zip(split_domains, bulk_domains):
        assert stable(s) == stable(b), f"{b['name']}: split {stable(s)} != bulk {stable(b)}"
    assert split["complete"] and split["libvirt_up"] and split["domains_skipped"] == 0, split["error"]
    return True


def domains_on_metrics(exporter):
    body = exporter.metrics()
    return {line.split('domain="', 1)[1].split('"', 1)[0] for line in body.splitlines()
            if line.startswith("libvirt_domain_info{")}


def main():
    exporter, source = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-parallel-")
    node = os.path.join(work, "node.xml")
    subprocess.run([sys.executable, os.path.join(source, "tests", "fixtures", "nodes", "generate_node.py"), "40",
                    "--shutoff-every", "9", "-o", node], check=True)
    daemon = SessionLibvirtd(work, node)
    try:
        bulk = once(exporter, daemon.uri, config(work, 1))
        tap.check(len(bulk["domains"]) == 40, "parallel 1 (the bulk call) collects the 40 domains over RPC")
        for p in (2, 4):
            tap.run(f"parallel {p} collects the same records as parallel 1, in the same order",
                    lambda p=p: same_domains(once(exporter, daemon.uri, config(work, p)), bulk))
        demo = f"test://{os.path.join(source, 'config', 'demo-node.xml')}"
        tap.run("parallel 2 on the in-process demo node gives the bulk call's records",
                lambda: same_domains(once(exporter, demo, config(work, 2)), once(exporter, demo, config(work, 1)),
                                     ordered=False))

        served = Exporter(exporter, work, daemon.uri, ["--config", config(work, 2)])
        try:
            expected = {d["name"] for d in bulk["domains"]}
            tap.run("parallel 2: /metrics reports every domain",
                    lambda: wait_until(lambda: domains_on_metrics(served) == expected, 60, "40 domains"))
            daemon.stop()
            daemon.start()
            tap.run("parallel 2: after a libvirtd restart every domain is back on /metrics",
                    lambda: wait_until(lambda: "\nlibvirt_up 1" in served.metrics() and
                                       domains_on_metrics(served) == expected, 90, "reconnected, 40 domains"))
        finally:
            code = served.stop()
            tap.check(code == 0, "the exporter with parallel 2 exits cleanly on SIGTERM", f"exit {code}")
    finally:
        daemon.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
