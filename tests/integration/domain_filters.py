#!/usr/bin/env python3
"""Domain filters (libvirt.domains.include / .exclude, libvirt.inactive) through both sinks and /api/vms: a
filtered domain is in neither /metrics, InfluxDB 1.6 nor /api/vms, is counted in
virt_exporter_domains_filtered, and costs no libvirt call beyond the listing, as libvirt's own debug log of
every API call the exporter makes shows.

Usage: domain_filters.py EXPORTER SOURCE_DIR [--uri URI]   (default: the test driver's demo node)
"""
import json
import os
import re
import subprocess
import sys

from fixtures import Exporter, InfluxDB, exporter_config, http_get, metric, wait_until, workdir
from tap import Tap

# What libvirt's client library answers from the handle it holds, without asking the driver or the daemon:
# the listing's bookkeeping, not a call about the domain.
HANDLE_LOCAL = {"virDomainGetUUIDString", "virDomainGetName", "virDomainGetID", "virDomainRef", "virDomainFree"}
API_LINE = re.compile(r"debug : (vir\w+):\d+ : dom=0x[0-9a-f]+, \(VM: name=(.*), uuid=([0-9a-f-]+)\)")


def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-filters-")
    uri = sys.argv[sys.argv.index("--uri") + 1] if "--uri" in sys.argv else f"test://{source_dir}/config/demo-node.xml"
    listed = json.loads(subprocess.run([exporter_bin, "--once", "--libvirt.uri", uri], capture_output=True,
                                       text=True, timeout=120, check=True).stdout)["domains"]
    running = sorted((d for d in listed if d["id"] >= 0), key=lambda d: d["name"])
    inactive = {d["name"] for d in listed if d["id"] < 0}
    assert len(running) >= 3, f"the node needs three running domains, has {[d['name'] for d in running]}"

    def yaml_list(items):
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"

    def scraped_domains(exp):
        text = wait_until(lambda: (lambda t: t if metric(t, "libvirt_up") == 1 else None)(exp.metrics()), 30,
                          "libvirt_up 1")
        names = set()
        for m in re.finditer(r'^libvirt_domain_info\{domain="((?:[^"\\]|\\.)*)"', text, re.M):
            names.add(m.group(1).encode().decode("unicode_escape").encode("latin-1").decode())
        return names, text

    def calls_about(log_path, names):
        """The API calls libvirt logged about any of `names`, other than the handle's own bookkeeping."""
        found = []
        with open(log_path, errors="replace") as f:
            for line in f:
                m = API_LINE.search(line)
                if m and m.group(2) in names and m.group(1) not in HANDLE_LOCAL:
                    found.append(f"{m.group(1)} {m.group(2)}")
        return found

    def run_exporter(name, domains_yaml, push=None):
        log_path = os.path.join(work, f"libvirt-{name}.log")
        cfg = exporter_config(os.path.join(work, f"{name}.yaml"), push=push, web={"max_snapshot_age": 0},
                              extra="libvirt:\n" + domains_yaml)
        env = dict(os.environ, LIBVIRT_LOG_FILTERS="1:libvirt", LIBVIRT_LOG_OUTPUTS=f"1:file:{log_path}")
        return Exporter(exporter_bin, work, uri, ["--config", cfg], env=env), log_path

    # Exclude one running domain by name and every inactive one; push to a real InfluxDB 1.6.
    drop = running[0]["name"]
    kept = {d["name"] for d in running[1:]}
    influx = InfluxDB(work)
    exp, log_path = run_exporter(
        "exclude", f"  domains:\n    exclude: {yaml_list([re.escape(drop)])}\n  inactive: false\n",
        push={"url": influx.url, "database": influx.database, "interval": 1, "batch_max_sec": 0.2})
    try:
        names, text = scraped_domains(exp)
        tap.check(names == kept, f"exclude and inactive false: /metrics has the {len(kept)} kept domains",
                  f"{sorted(names)} != {sorted(kept)}")
        tap.check(metric(text, "virt_exporter_domains_filtered") == len(listed) - len(kept),
                  f"virt_exporter_domains_filtered counts the {len(listed) - len(kept)} left out")
        vms = {d["name"] for d in json.loads(http_get(exp.url + "/api/vms")[2])["domains"]}
        tap.check(vms == kept, "/api/vms lists only the kept domains", f"{sorted(vms)}")

        def pushed():
            series = influx.query('SHOW TAG VALUES FROM "vm_metrics" WITH KEY = "name"')
            got = {v[1] for s in series for v in s.get("values", [])}
            return got if len(got) >= len(kept) and influx.count("vm_metrics") >= 2 * len(kept) else None
        tap.run("InfluxDB 1.6 gets points of the kept domains only",
                lambda: wait_until(pushed, 30, "two intervals in InfluxDB") == kept)
        calls = calls_about(log_path, {drop} | inactive)
        tap.check(not calls and os.path.getsize(log_path) > 0,
                  f"libvirt's debug log shows no call about the {1 + len(inactive)} filtered domains beyond the listing",
                  "\n".join(calls[:20]))
        kept_calls = calls_about(log_path, kept)
        tap.check(bool(kept_calls), "the same log shows the calls about the kept domains (the log is complete)")
    finally:
        code = exp.stop()
        influx.stop()
        tap.check(code == 0, "exporter exits 0 on SIGTERM", exp.output()[-2000:])

    # Include one domain by name and one by UUID: nothing else, inactive ones included only if named.
    by_name, by_uuid = running[1], running[2]
    exp, log_path = run_exporter(
        "include", f"  domains:\n    include: {yaml_list([re.escape(by_name['name']), by_uuid['uuid']])}\n")
    try:
        names, text = scraped_domains(exp)
        want = {by_name["name"], by_uuid["name"]}
        tap.check(names == want, "include by name and by UUID: /metrics has exactly those two", f"{sorted(names)}")
        tap.check(metric(text, "virt_exporter_domains_filtered") == len(listed) - 2,
                  "virt_exporter_domains_filtered counts every other domain")
        others = {d["name"] for d in listed} - want
        calls = calls_about(log_path, others)
        tap.check(not calls, "no call about a domain the include list does not name", "\n".join(calls[:20]))
    finally:
        code = exp.stop()
        tap.check(code == 0, "exporter exits 0 on SIGTERM", exp.output()[-2000:])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
