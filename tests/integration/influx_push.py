#!/usr/bin/env python3
"""The push path against a real InfluxDB 1.6 (v1 API): after N intervals every measurement has the
expected number of points, vm_totals equals the sum of vm_devices, values match --once (every field issue 21
added: between a --once before the pushes and one after them, equal when the values do not move), every
field has the README table's type; and the push counters appear on /metrics. The exporter and both --once
runs collect the optional stats groups too, so that vm_extra has fields where libvirt reports them.

Usage: influx_push.py EXPORTER SOURCE_DIR [--uri URI]   (default: the test driver's demo node)
"""
import json
import os
import subprocess
import sys
import time

from fixtures import Exporter, InfluxDB, exporter_config, http_get, influxql_string, metric, wait_until, workdir
from push_fields import ADDED, expected_points, mismatches, readme_field_types
from tap import Tap

GROUPS = ["state", "cpu_total", "balloon", "vcpu", "interface", "block", "perf", "iothread", "memory", "dirtyrate", "vm"]

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-influx-")
    demo = "--uri" not in sys.argv
    uri = f"test://{source_dir}/config/demo-node.xml" if demo else sys.argv[sys.argv.index("--uri") + 1]


    influx = InfluxDB(work)
    cfg = exporter_config(os.path.join(work, "exporter.yaml"), libvirt={"stats_groups": GROUPS}, push={
        "url": influx.url, "database": influx.database, "interval": 1, "batch_max_sec": 0.2, "host_tag": "hv-test"})

    def run_once():
        p = subprocess.run([exporter_bin, "--once", "--config", cfg, "--libvirt.uri", uri], capture_output=True,
                           text=True, timeout=60)
        assert p.returncode == 0, p.stderr[-2000:]
        return {d["name"]: d for d in json.loads(p.stdout)["domains"]}

    once = run_once()  # before the exporter's first collection
    exp = Exporter(exporter_bin, work, uri, ["--config", cfg])
    try:
        running = [d for d in once.values() if d["id"] >= 0]
        nics = sum(len(d["nics"]) for d in running)
        disks = sum(len(d["disks"]) for d in running)

        tap.run("points arrive in InfluxDB", lambda: wait_until(lambda: influx.count("vm_metrics") >= 3 * len(once), 30,
                                                                 "three intervals of vm_metrics"))
        exp.signal(__import__("signal").SIGSTOP)  # freeze pushing while we count (no half-written interval)
        try:
            intervals = influx.count("vm_metrics") / len(once)
            tap.check(intervals == int(intervals), f"vm_metrics has one point per domain per interval ({intervals:.0f})")
            n = int(intervals)
            tap.check(influx.count("vm_features") == (n - 1) * len(running),
                      "vm_features: one point per running domain per interval after the first",
                      f"{influx.count('vm_features')} != {(n - 1) * len(running)}")
            tap.check(influx.count("vm_devices", "WHERE devtype='nic'") == n * nics, f"vm_devices: {nics} NICs per interval")
            tap.check(influx.count("vm_devices", "WHERE devtype='disk'") == n * disks, f"vm_devices: {disks} disks per interval")
            tap.check(influx.count("vm_totals") == n * len(once), "vm_totals: one point per domain per interval")

            def totals_are_sums():
                for name, d in once.items():
                    if d["id"] < 0 or not d["nics"]:
                        continue
                    t = influx.query(f"SELECT net_rxbytes, disk_rd_bytes FROM vm_totals WHERE \"name\"={influxql_string(name)} "
                                     "ORDER BY time DESC LIMIT 1")[0]
                    ts = t["values"][0][0]
                    devs = influx.query(f"SELECT SUM(rxbytes) AS rx, SUM(rd_bytes) AS rd FROM vm_devices "
                                        f"WHERE \"name\"={influxql_string(name)} AND time = '{ts}'")[0]["values"][0]
                    assert t["values"][0][1] == devs[1], f"{name}: net_rxbytes {t['values'][0][1]} != sum {devs[1]}"
                    assert t["values"][0][2] == devs[2], f"{name}: disk_rd_bytes {t['values'][0][2]} != sum {devs[2]}"
                return True
            tap.run("vm_totals equals the sum of vm_devices at the same time", totals_are_sums)

            def values_match_once():
                for name, d in once.items():
                    row = influx.query(f"SELECT maxmem, cpus, state FROM vm_metrics WHERE \"name\"={influxql_string(name)} LIMIT 1")[0]
                    _, maxmem, cpus, state = row["values"][0]
                    # A value --once does not have must be missing in InfluxDB too, never written as 0.
                    assert maxmem == d["balloon"].get("maximum"), f"{name}: maxmem {maxmem}"
                    assert state == d["state"]["state"], f"{name}: state {state}"
                    assert cpus == d["vcpu"].get("current"), f"{name}: cpus {cpus}"
                return True
            tap.run("vm_metrics values match --once", values_match_once)

            after = run_once()  # after the last push (the exporter is stopped)

            def added_fields_match_once():
                problems, compared, by_measurement = [], 0, {}
                for name, d in once.items():
                    before_points = expected_points(d)
                    after_points = expected_points(after.get(name, d))
                    for key in sorted(before_points.keys() | after_points.keys()):
                        measurement, tags = key
                        where = " AND ".join([f'"name"={influxql_string(name)}'] +
                                             [f'"{k}"={influxql_string(v)}' for k, v in tags])
                        series = influx.query(f'SELECT * FROM "{measurement}" WHERE {where} ORDER BY time DESC LIMIT 1')
                        if not series:
                            problems.append(f"{name} {measurement} {tags}: no point")
                            continue
                        got = dict(zip(series[0]["columns"], series[0]["values"][0]))
                        b, a = before_points.get(key, {}), after_points.get(key, {})
                        problems += [f"{name} {measurement} {tags}: {m}" for m in mismatches(got, b, a)]
                        # An added field --once did not have is not written (never a 0 in its place).
                        problems += [f"{name} {measurement} {tags}: {f} = {got[f]!r}, --once has none"
                                     for f in ADDED.get(measurement, ()) if f not in b and f not in a
                                     and got.get(f) is not None]
                        compared += len(b.keys() | a.keys())
                        by_measurement[measurement] = by_measurement.get(measurement, 0) + len(b.keys() | a.keys())
                assert compared > 0 and not problems, "\n".join(problems[:20])
                print(f"# {compared} added field values compared with --once: {sorted(by_measurement.items())}")
                return True
            tap.run("every field issue 21 added (vm_devices disk, vm_totals, vm_vcpus, vm_extra) equals --once",
                    added_fields_match_once)

            def field_types_are_the_readme_tables():
                table = readme_field_types(source_dir)
                problems = []
                for measurement in ("vm_metrics", "vm_features", "vm_devices", "vm_totals", "vm_vcpus", "vm_extra"):
                    for s in influx.query(f'SHOW FIELD KEYS FROM "{measurement}"'):
                        for field, kind in s["values"]:
                            want = "float" if measurement == "vm_extra" else table.get((measurement, field))
                            if kind != want:
                                problems.append(f"{measurement}.{field}: {kind} in InfluxDB, {want} in the README")
                old = {k for k in table if k[0] in ("vm_metrics", "vm_features", "vm_devices", "vm_totals")}
                assert old and not problems, "\n".join(problems)
                return True
            tap.run("every field InfluxDB holds has the type of the README's field table", field_types_are_the_readme_tables)

            def tags():
                series = influx.query('SHOW TAG VALUES FROM "vm_metrics" WITH KEY IN ("VMID", "host", "name")')[0]
                values = {(k, v) for k, v in series["values"]}
                assert ("host", "hv-test") in values, values
                assert {("name", n) for n in once} <= values, values
                if demo:
                    assert ("VMID", "101") in values, values  # one-101: the OpenNebula name rule
                return True
            tap.run("tags VMID, host and name are set", tags)
        finally:
            exp.signal(__import__("signal").SIGCONT)

        text = exp.metrics()
        tap.check((metric(text, "virt_exporter_push_lines_written_total") or 0) > 0, "push counters appear on /metrics")

        def status():
            code, _, body = http_get(exp.url + "/api/status")
            assert code == 200, code
            return json.loads(body)
        tap.check(status()["push"]["lines_written"] > 0, "/api/status reports the push counters")

        def stop_and_start():
            req = __import__("urllib.request").request
            stop = req.urlopen(req.Request(exp.url + "/api/push/stop", data=b"", method="POST"), timeout=10)
            assert stop.status == 200
            assert status()["push"]["running"] is False
            time.sleep(0.5)
            before = influx.count("vm_metrics")
            time.sleep(2.5)
            assert influx.count("vm_metrics") == before, "points arrived while the push was stopped"
            start = req.urlopen(req.Request(exp.url + "/api/push/start", data=b"", method="POST"), timeout=10)
            assert start.status == 200
            wait_until(lambda: influx.count("vm_metrics") > before, 10, "points after /api/push/start")
            return True
        tap.run("POST /api/push/stop stops the pushes and /api/push/start resumes them", stop_and_start)
        tap.check(metric(text, "virt_exporter_push_lines_dropped_total") == 0, "nothing dropped")
    finally:
        code = exp.stop()
        influx.stop()
        tap.check(code == 0, "exporter exits 0 on SIGTERM", exp.output()[-2000:])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
