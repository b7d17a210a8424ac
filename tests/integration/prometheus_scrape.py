#!/usr/bin/env python3
"""A real Prometheus scrapes the exporter (libvirt test driver): every family arrives with the same
series, values agree with --once within counter movement, hostile label values survive the round trip,
the names and labels inovex's Grafana dashboard queries have data (inovex_dashboard.py), promtool accepts
a live scrape, and concurrent scrapes share collections.

Usage: prometheus_scrape.py EXPORTER SOURCE_DIR            (libvirt's test driver: demo and hostile nodes)
       prometheus_scrape.py EXPORTER SOURCE_DIR --uri URI  (any other libvirt, e.g. real QEMU guests)
"""
import json
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

import inovex_dashboard
from fixtures import workdir, Exporter, Prometheus, http_get, wait_until
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-prom-")
    SERIES = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$")

    def parse_text(text):
        """{family: [(labels_text, value)]} from the text format (enough for our own output)."""
        out = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            m = SERIES.match(line)
            out.setdefault(m.group(1), []).append((m.group(2) or "", float(m.group(3))))
        return out

    def once(uri):
        p = subprocess.run([exporter_bin, "--once", "--libvirt.uri", uri], capture_output=True, text=True, timeout=60)
        return {d["name"]: d for d in json.loads(p.stdout)["domains"]}

    def balloon_period(uri, uuid):
        """<memballoon><stats period> as virsh dumpxml shows it: None without a balloon, 0 without a period."""
        xml = subprocess.run(["virsh", "-r", "-q", "-c", uri, "dumpxml", uuid], capture_output=True, text=True,
                             timeout=60, check=True).stdout
        balloon = ET.fromstring(xml).find("devices/memballoon")
        if balloon is None or balloon.get("model") == "none":
            return None
        stats = balloon.find("stats")
        return int(stats.get("period")) if stats is not None and stats.get("period") else 0

    def series_value(prom, query, at=None):
        result = prom.query(query, at)
        assert len(result) == 1, f"{query}: {len(result)} series"
        return float(result[0]["value"][1])

    def check_node(node_file, hostile, uri=None):
        uri = uri or f"test://{source_dir}/{node_file}"
        exp = Exporter(exporter_bin, work, uri)
        prom = None
        try:
            prom = Prometheus(work, [f"127.0.0.1:{exp.port}"])
            tap.run(f"{node_file}: Prometheus sees the target up",
                    lambda: wait_until(lambda: prom.query('up{job="virt"} == 1'), 60, "up == 1"))
            before = once(uri)
            # Two scrapes after `before`, so the instant query sees data at least as new.
            seq = series_value(prom, "virt_exporter_collections_total")
            wait_until(lambda: series_value(prom, "virt_exporter_collections_total") >= seq + 2, 20, "two more scrapes")
            scraped = parse_text(exp.metrics())
            # Prometheus goes on scraping: the values are read as they were before `after`, whose read starts
            # later (a query "now" on a slow machine could see a scrape newer than `after`).
            read_at = time.time()
            after = once(uri)

            for family, series in sorted(scraped.items()):
                if family.startswith("virt_exporter_") or family == "libvirt_up":
                    continue
                def same_count(f=family, n=len(series)):
                    got = len(prom.query('{__name__="%s"}' % f))
                    assert got == n, f"{got} series in Prometheus, {n} in the scrape"
                    return True
                tap.run(f"{node_file}: {family} has {len(series)} series in Prometheus", same_count)

            for name, d in before.items():
                sel = '{domain="%s"}' % name.replace("\\", "\\\\").replace('"', '\\"')
                if "maximum" in d["balloon"]:
                    tap.run(f"{name}: maximum memory equals --once",
                            lambda s=sel, d=d: series_value(prom, "libvirt_domain_info_maximum_memory_bytes" + s)
                            == d["balloon"]["maximum"] * 1024)
                def period_as_xml(s=sel, d=d):
                    want = balloon_period(uri, d["uuid"])
                    got = prom.query("libvirt_domain_memory_stats_period_seconds" + s)
                    assert (want is None and not got) or (got and float(got[0]["value"][1]) == want), (want, got)
                    return True
                tap.run(f"{name}: balloon statistics period equals virsh dumpxml's", period_as_xml)
                if "time" in d["cpu"]:
                    def cpu_within(s=sel, n=name):
                        v = series_value(prom, "libvirt_domain_info_cpu_time_seconds_total" + s, read_at)
                        lo, hi = before[n]["cpu"]["time"] / 1e9, after[n]["cpu"]["time"] / 1e9
                        assert lo - 1e-6 <= v <= hi + 1e-6, f"{lo} <= {v} <= {hi}"
                        return True
                    tap.run(f"{name}: CPU time within the two --once reads", cpu_within)
                for nic in d["nics"]:
                    def rx_within(s=sel, n=name, dev=nic["name"]):
                        q = 'libvirt_domain_interface_stats_receive_bytes_total{domain=%s,target_device="%s"}' % (
                            s[8:-1], dev)
                        v = series_value(prom, q, read_at)
                        lo = next(x for x in before[n]["nics"] if x["name"] == dev)["rx_bytes"]
                        hi = next(x for x in after[n]["nics"] if x["name"] == dev)["rx_bytes"]
                        assert lo <= v <= hi, f"{lo} <= {v} <= {hi}"
                        return True
                    tap.run(f"{name}/{nic['name']}: rx bytes within the two --once reads", rx_within)

            if hostile:
                def labels_round_trip():
                    got = {r["metric"]["domain"] for r in prom.query("libvirt_domain_info")}
                    assert got == set(before), f"{got} != {set(before)}"
                    sources = {r["metric"].get("source_file") for r in prom.query("libvirt_domain_block_stats_info")}
                    want = {b["info"]["source"] for d in before.values() for b in d["disks"]}
                    assert sources == want, f"{sources!r} != {want!r}"
                    return True
                tap.run(f"{node_file}: quotes, backslashes, newlines and non-ASCII survive in labels", labels_round_trip)

            if not hostile:
                inovex_dashboard.check(tap, prom, node_file,
                                       inovex_dashboard.TEST_DRIVER_LACKS if uri.startswith("test:") else None)

            def promtool_accepts():
                text = exp.metrics()
                p = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
                assert p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(), p.stdout + p.stderr
                return True
            tap.run(f"{node_file}: promtool check metrics reports nothing on a live scrape", promtool_accepts)
        finally:
            if prom:
                prom.stop()
            code = exp.stop()
            tap.check(code == 0, f"{node_file}: exporter exits 0 on SIGTERM", exp.output()[-2000:])

    def check_concurrent_scrapes():
        uri = f"test://{source_dir}/config/demo-node.xml"
        exp = Exporter(exporter_bin, work, uri)
        try:
            def sequence():  # /api/status reads the last collection's number without starting one
                code, _, body = http_get(exp.url + "/api/status")
                last = json.loads(body)["last_collection"] if code == 200 else None
                return last["sequence"] if last else 0

            # What single flight guarantees is that concurrent scrapes share collections: far fewer collections
            # than scrapes in each round. An exact count is not guaranteed: on a loaded machine the barrier's
            # threads can reach the store spread over more than max_snapshot_age, and a late one rightly starts
            # a collection of its own.
            rounds, clients = 5, 20
            used = []
            for _ in range(rounds):
                barrier = threading.Barrier(clients)
                codes = []
                before = sequence()

                def scrape():
                    barrier.wait()
                    codes.append(http_get(exp.url + "/metrics")[0])
                threads = [threading.Thread(target=scrape) for _ in range(clients)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                assert codes == [200] * clients, codes
                used.append(sequence() - before)
                time.sleep(1.2)  # past max_snapshot_age, so the next round needs a new collection
            # Without single flight each round would use one collection per scrape (20).
            tap.check(all(1 <= u <= clients // 4 for u in used),
                      f"{clients} concurrent scrapers share collections: each of {rounds} rounds used at most "
                      f"{clients // 4}", f"collections per round: {used}")
        finally:
            exp.stop()

    if "--uri" in sys.argv:
        target = sys.argv[sys.argv.index("--uri") + 1]
        check_node(target, hostile=False, uri=target)
    else:
        check_node("config/demo-node.xml", hostile=False)
        check_node("tests/fixtures/nodes/hostile-node.xml", hostile=True)
        tap.run("concurrent scrapes share collections", check_concurrent_scrapes)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
