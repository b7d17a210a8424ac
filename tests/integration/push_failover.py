#!/usr/bin/env python3
"""push.urls: two real InfluxDB 1.6 servers. The first is killed mid-run and the writes fail over to the
second; it is started again later and the writes come back to it. Every interval of a domain is in exactly
one of the two, with no gap; /api/status and the metrics show each URL's state with its password masked.

Usage: push_failover.py EXPORTER SOURCE_DIR
"""
import json
import os
import signal
import sys
import time
import urllib.parse

from fixtures import Exporter, InfluxDB, exporter_config, http_get, metric, wait_until, workdir
from tap import Tap

INTERVAL = 1.0


def stamps(influx, name="one-101"):
    """The timestamps (ns) of a domain's vm_metrics points in `influx`."""
    q = urllib.parse.urlencode({"q": f"SELECT state FROM vm_metrics WHERE \"name\" = '{name}'", "db": influx.database,
                                "epoch": "ns"})
    status, _, body = http_get(f"{influx.url}/query?{q}")
    assert status == 200, status
    return {v[0] for result in json.loads(body)["results"] for series in result.get("series", [])
            for v in series["values"]}


def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-failover-")
    uri = f"test://{source_dir}/config/demo-node.xml"
    first, second = InfluxDB(work), InfluxDB(work)
    # The first with a user and password in its URL (InfluxDB 1.6 without auth ignores them): masked.
    first_url = first.url.replace("http://", "http://writer:url-pw-s3cret@")
    cfg = exporter_config(os.path.join(work, "exporter.yaml"), push={
        "database": first.database, "interval": INTERVAL, "batch_max_sec": 0.2, "retry_backoff_min": 0.2,
        "retry_backoff_max": 2, "timeout": 2}, extra=f'  urls: ["{first_url}", "{second.url}"]\n')
    exp = Exporter(exporter_bin, work, uri, ["--config", cfg])
    try:
        tap.run("writes go to the first URL", lambda: wait_until(lambda: len(stamps(first)) >= 3, 30, "three intervals"))
        tap.check(not stamps(second), "nothing goes to the second while the first answers")
        first.signal(signal.SIGKILL)
        first.proc.wait()
        killed_at = time.time()
        tap.run("the first killed: writes fail over to the second",
                lambda: wait_until(lambda: len(stamps(second)) >= 4, 30, "intervals on the second"))

        def status():
            return json.loads(http_get(exp.url + "/api/status")[2])["push"]["urls"]
        s = status()
        tap.check([u["current"] for u in s] == [False, True] and not s[0]["up"] and s[0]["failures"] >= 1,
                  "/api/status: the second is current, the first down with its failures", json.dumps(s))
        text = exp.metrics()
        shown = first.url.replace("http://", "http://writer:***@")
        tap.check(f'virt_exporter_push_url_up{{url="{shown}"}} 0' in text and
                  f'virt_exporter_push_url_current{{url="{second.url}"}} 1' in text,
                  "metrics: virt_exporter_push_url_up and _current per url label, the password masked")
        tap.check("url-pw-s3cret" not in text + json.dumps(s) + exp.output(), "the URL's password is shown nowhere")

        time.sleep(3 * INTERVAL)
        first.start()  # the same data directory and port
        restarted_at = time.time()
        tap.run("the first back: writes return to it",
                lambda: wait_until(lambda: any(t > restarted_at * 1e9 for t in stamps(first)), 40,
                                   "new intervals on the first"))
        time.sleep(2 * INTERVAL)
        tap.check(status()[0]["current"], "/api/status: the first is current again")
        tap.check(metric(exp.metrics(), "virt_exporter_push_lines_dropped_total") == 0, "nothing dropped")
        exp.stop()

        a, b = stamps(first), stamps(second)
        tap.check(not (a & b), "no interval is in both", sorted(a & b)[:5])
        every = sorted(stamps(first) | stamps(second))
        gaps = [(y - x) / 1e9 for x, y in zip(every, every[1:])]
        tap.check(gaps and max(gaps) < 2.5 * INTERVAL, "every interval is in one of the two: no gap",
                  f"largest gap {max(gaps or [0]):.2f}s")
        tap.check(any(killed_at * 1e9 < t < restarted_at * 1e9 for t in stamps(second)),
                  "the intervals of the outage are on the second")
    finally:
        exp.stop()
        first.stop()
        second.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
