#!/usr/bin/env python3
"""The exporter's own instrumentation (src/instr) through a real Prometheus: after a few scrapes,
histogram_quantile answers for every histogram (HTTP requests, collections, stats groups, push writes and
their line counts against a real InfluxDB, domain XML fetches), plain and with TLS and basic auth on; the
failure counters move when a client sends a wrong password or gives up a TLS handshake; promtool accepts the
live scrape with the appended families.

Usage: own_instrumentation.py EXPORTER SOURCE_DIR
"""
import math
import os
import socket
import subprocess
import sys

from fixtures import Exporter, InfluxDB, Prometheus, WebSecurity, exporter_config, wait_until, workdir
from tap import Tap

# Each histogram, with a label it must be broken down by ("" for none).
HISTOGRAMS = [
    ("virt_exporter_http_request_duration_seconds", "handler"),
    ("virt_exporter_collection_seconds", ""),
    ("virt_exporter_collection_group_seconds", "group"),
    ("virt_exporter_push_write_duration_seconds", "api"),
    ("virt_exporter_push_batch_lines", "api"),
    ("virt_exporter_device_cache_fetch_duration_seconds", ""),
]


def quantile(prom, histogram, by, q=0.99, window=None):
    """histogram_quantile over the buckets Prometheus holds: of their rate over `window`, or of the counts
    since start (the XML fetches happen once per domain and TTL, so their rate is mostly 0)."""
    buckets = f"rate({histogram}_bucket[{window}])" if window else f"{histogram}_bucket"
    keys = ", ".join(k for k in ("le", by) if k)
    return prom.query(f"histogram_quantile({q}, sum by ({keys}) ({buckets}))")


def check_quantiles(tap, prom, what):
    for histogram, by in HISTOGRAMS:
        def answers(h=histogram, b=by):
            result = quantile(prom, h, b)
            values = [float(r["value"][1]) for r in result]
            assert values and all(math.isfinite(v) and v >= 0 for v in values), f"{h}: {result}"
            if b:
                assert all(r["metric"].get(b) for r in result), f"{h}: a series without {b}: {result}"
            return True
        tap.run(f"{what}: histogram_quantile(0.99) answers for {histogram}",
                lambda a=answers: wait_until(a, 30, "a finite quantile"))
    # The collections go on with every scrape, so their rate has a quantile too.
    tap.run(f"{what}: the p50 of the collection rate over 30s answers",
            lambda: wait_until(lambda: quantile(prom, "virt_exporter_collection_seconds", "", 0.5, "30s"), 30,
                               "a rate quantile"))


def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-instr-")
    uri = f"test://{source_dir}/config/demo-node.xml"
    influx = InfluxDB(work)
    config = exporter_config(os.path.join(work, "exporter.yaml"), push={
        "url": influx.url, "database": influx.database, "interval": 1, "batch_max_sec": 0.2})
    security = WebSecurity(work, source_dir)
    plain = Exporter(exporter_bin, work, uri, ["--config", config])
    secure = Exporter(exporter_bin, work, uri, ["--config", config], security=security)
    proms = []
    try:
        proms.append(Prometheus(work, [f"127.0.0.1:{plain.port}"]))
        proms.append(Prometheus(work, [f"localhost:{secure.port}"], job_settings=security.scrape_settings()))
        for prom, what in zip(proms, ("plain HTTP", "TLS and basic auth")):
            tap.run(f"{what}: Prometheus scrapes the exporter",
                    lambda p=prom: wait_until(lambda: p.query('up{job="virt"} == 1'), 60, "up == 1"))
            # A few scrapes, and a page that is not /metrics, so that more than one handler has requests.
            exp = plain if prom is proms[0] else secure
            assert exp.get("/api/status")[0] == 200
            first = float(prom.query("virt_exporter_collections_total")[0]["value"][1])
            wait_until(lambda p=prom: float(p.query("virt_exporter_collections_total")[0]["value"][1]) >= first + 3,
                       30, "three more collections")
            check_quantiles(tap, prom, what)
            tap.run(f"{what}: the scrapes are counted under handler /metrics and code 200",
                    lambda p=prom: p.query('virt_exporter_http_requests_total{handler="/metrics",code="200"} > 2'))

        # Failures the secure exporter counts: a wrong password, and a client that speaks plain HTTP to it.
        status = secure.get("/metrics", headers=security.headers("wrong"))[0]
        tap.check(status == 401, "a wrong password is refused", status)
        with socket.create_connection(("127.0.0.1", secure.port), timeout=5) as s:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            s.recv(100)

        def counted():
            text = secure.metrics()
            assert 'virt_exporter_http_auth_failures_total{reason="wrong_credentials"} 1\n' in text, "auth failure"
            tls = [line for line in text.splitlines() if line.startswith("virt_exporter_tls_handshake_failures_total ")]
            assert tls and float(tls[0].split()[1]) >= 1, tls
            # The bulk call is virDomainListGetStats when the collection is split (libvirt.parallel, 4 by default).
            calls = [line for line in text.splitlines() if line.startswith("virt_exporter_libvirt_calls_total{")
                     and ('"virConnectGetAllDomainStats"' in line or '"virDomainListGetStats"' in line)]
            assert len(calls) == 2 and sum(float(c.split()[1]) for c in calls) >= 3, calls
            return True
        tap.run("the wrong password, the plain-HTTP client and the libvirt calls are counted",
                lambda: wait_until(counted, 10, "the counters"))

        def promtool_accepts():
            p = subprocess.run(["promtool", "check", "metrics"], input=plain.metrics(), capture_output=True, text=True)
            assert p.returncode == 0 and not (p.stdout + p.stderr).strip(), p.stdout + p.stderr
            return True
        tap.run("promtool check metrics reports nothing on a live scrape with the appended families", promtool_accepts)
    finally:
        for prom in proms:
            prom.stop()
        for exp, what in ((plain, "plain"), (secure, "secure")):
            code = exp.stop()
            tap.check(code == 0, f"the {what} exporter exits 0 on SIGTERM", exp.output()[-2000:])
        influx.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
