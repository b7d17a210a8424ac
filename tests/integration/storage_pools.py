#!/usr/bin/env python3
"""Storage pools through both sinks: every pool's libvirt_storage_pool_* values on /metrics equal
`virsh pool-info --bytes`, its type, target path and uuid equal `virsh pool-dumpxml`, and the push's
storage_pools measurement read back from a real InfluxDB 1.6 carries the same values. Without --uri: on the
demo node (pool demo-images) and on test:///default (default-pool), plus libvirt.storage_pools: false
turning every pool family and call off, and push.measurements without storage_pools keeping the pools out
of InfluxDB only. With --pool-dir (the hypervisor tier's real dir pool): the target
directory is removed under the running pool and the scrape must go on.

Usage: storage_pools.py EXPORTER SOURCE_DIR [--uri URI --pool NAME [--pool-dir DIR]]
"""
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from fixtures import Exporter, InfluxDB, exporter_config, influxql_string, metric, wait_until, workdir
from tap import Tap

STATES = {"inactive": 0, "building": 1, "running": 2, "degraded": 3, "inaccessible": 4}
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def arg(name, default=None):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def series(text, name):
    """{pool name: (labels, value)} of the family `name`."""
    out = {}
    for m in re.finditer(r"^%s\{(.*)\} (\S+)$" % re.escape(name), text, re.M):
        labels = {k: re.sub(r"\\(.)", lambda e: {"n": "\n"}.get(e.group(1), e.group(1)), v)
                  for k, v in LABEL.findall(m.group(1))}
        out[labels["storage_pool"]] = (labels, float(m.group(2)))
    return out


def virsh(uri, *args):
    return subprocess.run(["virsh", "-r", "-c", uri, *args], capture_output=True, text=True, timeout=60,
                          check=True).stdout


def pool_info(uri, pool):
    """virsh pool-info --bytes as {state, capacity, allocation, available} (sizes only where virsh shows them)."""
    fields = dict(line.split(":", 1) for line in virsh(uri, "pool-info", "--bytes", pool).splitlines() if ":" in line)
    fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
    info = {"state": STATES[fields["state"]]}
    for key in ("capacity", "allocation", "available"):
        if key in fields:
            info[key] = int(fields[key])
    return info


def pool_definition(uri, pool):
    root = ET.fromstring(virsh(uri, "pool-dumpxml", pool))
    return {"type": root.get("type"), "target_path": (root.findtext("target/path") or "").strip(),
            "uuid": root.findtext("uuid").strip()}


def scrape_when(exp, condition, what):
    """The first /metrics text for which condition(text) holds."""
    def text():
        t = exp.metrics()
        return t if condition(t) else None
    return wait_until(text, 20, what)


def check_node(tap, exporter_bin, work, influx, uri, wanted, pool_dir=None):
    cfg = exporter_config(os.path.join(work, f"exporter-{len(os.listdir(work))}.yaml"),
                          libvirt={"storage_pools_interval": 1},
                          push={"url": influx.url, "database": influx.database, "interval": 1, "batch_max_sec": 0.2,
                                "host_tag": "hv-test"})
    exp = Exporter(exporter_bin, work, uri, ["--config", cfg])
    try:
        pools = [p.strip() for p in virsh(uri, "pool-list", "--all", "--name").splitlines() if p.strip()]
        tap.check(wanted in pools, f"{uri}: virsh lists {wanted}", str(pools))
        text = scrape_when(exp, lambda t: wanted in series(t, "libvirt_storage_pool_state"), f"{wanted} on /metrics")

        def values_equal_virsh():
            for pool in pools:
                info = pool_info(uri, pool)
                for key, value in info.items():
                    got = series(text, f"libvirt_storage_pool_{key}" + ("" if key == "state" else "_bytes"))
                    assert pool in got, f"{pool}: no libvirt_storage_pool_{key}"
                    assert got[pool][1] == value, f"{pool} {key}: exporter {got[pool][1]} != virsh {value}"
            return True
        tap.run(f"{uri}: state, capacity, allocation and available of every pool equal virsh pool-info --bytes",
                values_equal_virsh)

        def info_equals_xml():
            got = series(text, "libvirt_storage_pool_info")
            for pool in pools:
                want = pool_definition(uri, pool)
                labels = got[pool][0]
                for key, value in want.items():
                    assert labels[key] == value, f"{pool} {key}: exporter {labels[key]!r} != XML {value!r}"
            return True
        tap.run(f"{uri}: libvirt_storage_pool_info has the type, target path and uuid of pool-dumpxml",
                info_equals_xml)
        timed_out = series(text, "libvirt_storage_pool_timed_out")
        tap.check(all(v == 0 for _, v in timed_out.values()) and set(timed_out) == set(pools),
                  f"{uri}: libvirt_storage_pool_timed_out 0 for every pool", str(timed_out))
        tap.check(metric(text, "virt_exporter_storage_pools_failed") == 0, f"{uri}: no pool failed")
        tap.check((metric(text, 'virt_exporter_libvirt_calls_total{api="virStoragePoolGetInfo"}') or 0) > 0,
                  f"{uri}: virStoragePoolGetInfo is counted at the seam")

        def pushed():
            info = pool_info(uri, wanted)
            rows = influx.query("SELECT state, capacity, allocation, available, timed_out, \"type\", host FROM "
                                f"storage_pools WHERE pool={influxql_string(wanted)} ORDER BY time DESC LIMIT 1")
            assert rows, "no storage_pools point yet"
            cols, values = rows[0]["columns"], rows[0]["values"][0]
            row = dict(zip(cols, values))
            for key, value in info.items():
                assert row[key] == value, f"InfluxDB {key} {row[key]} != virsh {value}"
            assert row["timed_out"] == 0 and row["host"] == "hv-test", row
            assert row["type"] == pool_definition(uri, wanted)["type"], row
            return True
        tap.run(f"{uri}: the storage_pools measurement in InfluxDB 1.6 equals virsh pool-info --bytes",
                lambda: wait_until(pushed, 20, "a storage_pools point"))

        if pool_dir:
            shutil.rmtree(pool_dir)

            def scrape_goes_on():
                after = exp.metrics()
                assert metric(after, "libvirt_up") == 1, "libvirt_up is not 1"
                assert "libvirt_domain_info_state{" in after, "the domain families are gone"
                failed = metric(after, "virt_exporter_storage_pools_failed")
                state = series(after, "libvirt_storage_pool_state").get(wanted)
                assert state is not None or failed >= 1, "the pool is neither reported nor counted as failing"
                print(f"# after rm -rf of its target: {wanted} state "
                      f"{state[1] if state else 'left out'}, failed {failed}")
                return True
            scrape_when(exp, lambda t: True, "a scrape")  # at least one pool round after the removal
            time.sleep(2.5)
            tap.run("a pool whose target directory was removed under it does not break the scrape", scrape_goes_on)
    finally:
        code = exp.stop()
        tap.check(code == 0, f"{uri}: exporter exits 0 on SIGTERM", exp.output()[-2000:])


def check_off(tap, exporter_bin, work, uri):
    cfg = exporter_config(os.path.join(work, "off.yaml"), libvirt={"storage_pools": False})
    exp = Exporter(exporter_bin, work, uri, ["--config", cfg])
    try:
        text = scrape_when(exp, lambda t: metric(t, "libvirt_up") == 1, "libvirt_up 1")
        tap.check("libvirt_storage_pool" not in text and "virt_exporter_storage_pools_failed" not in text,
                  "libvirt.storage_pools: false writes no pool family")
        tap.check((metric(text, 'virt_exporter_libvirt_calls_total{api="virConnectListAllStoragePools"}') or 0) == 0,
                  "libvirt.storage_pools: false lists no pool")
    finally:
        exp.stop()


def check_left_out_of_push(tap, exporter_bin, work, influx, uri):
    """push.measurements without storage_pools: the pools stay on /metrics, none reaches InfluxDB."""
    cfg = exporter_config(os.path.join(work, "no-pool-push.yaml"), libvirt={"storage_pools_interval": 1},
                          push={"url": influx.url, "database": influx.database, "interval": 1, "batch_max_sec": 0.2,
                                "host_tag": "hv-no-pools",
                                "measurements": ["vm_metrics", "vm_features", "vm_devices", "vm_totals"]})
    exp = Exporter(exporter_bin, work, uri, ["--config", cfg])
    try:
        text = scrape_when(exp, lambda t: "demo-images" in series(t, "libvirt_storage_pool_state"), "pools on /metrics")
        tap.check("demo-images" in series(text, "libvirt_storage_pool_state"),
                  "push.measurements without storage_pools: the pools are still on /metrics")

        def rows(measurement):
            return influx.count(measurement, "WHERE host='hv-no-pools'")

        # A few push intervals after the first vm_metrics point, still no storage_pools point.
        wait_until(lambda: rows("vm_metrics"), 20, "a vm_metrics point from the exporter without pool pushes")
        time.sleep(3)
        tap.check(rows("vm_metrics") and not rows("storage_pools"),
                  "push.measurements without storage_pools: vm_metrics arrives, storage_pools does not",
                  f"storage_pools points: {rows('storage_pools')}")
    finally:
        code = exp.stop()
        tap.check(code == 0, "exporter without pool pushes exits 0 on SIGTERM", exp.output()[-2000:])


def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-pools-")
    influx = InfluxDB(work)
    try:
        if "--uri" in sys.argv:
            check_node(tap, exporter_bin, work, influx, arg("--uri"), arg("--pool"), arg("--pool-dir"))
        else:
            demo = f"test://{source_dir}/config/demo-node.xml"
            check_node(tap, exporter_bin, work, influx, demo, "demo-images")
            check_node(tap, exporter_bin, work, influx, "test:///default", "default-pool")
            check_off(tap, exporter_bin, work, demo)
            check_left_out_of_push(tap, exporter_bin, work, influx, demo)
    finally:
        influx.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
