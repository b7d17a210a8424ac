#!/usr/bin/env python3
"""An InfluxDB outage longer than the in-memory buffer holds, with an exporter restart in the middle:
once InfluxDB is back, every interval of both exporter runs is in InfluxDB, complete, with no gap.

Usage: influx_outage.py EXPORTER SOURCE_DIR
"""
import os
import sys
import time
from datetime import datetime

from fixtures import Exporter, InfluxDB, exporter_config, metric, wait_until, workdir
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-outage-")
    uri = f"test://{source_dir}/config/demo-node.xml"
    DOMAINS = 5
    INTERVAL = 1.0


    def times(influx):
        rows = influx.query('SELECT COUNT(state) FROM vm_metrics WHERE time > 0 GROUP BY time(1ms) FILL(none)')
        out = {}
        for series in rows:
            for t, n in series["values"]:
                out[t] = n
        return out

    influx = InfluxDB(work)
    cfg = exporter_config(os.path.join(work, "exporter.yaml"), push={
        "url": influx.url, "database": influx.database, "interval": INTERVAL, "batch_max_lines": 10,
        "batch_max_sec": 0.2, "buffer_max_lines": 20, "spool_dir": f"{work}/spool", "retry_backoff_min": 0.2,
        "retry_backoff_max": 1, "timeout": 2})
    exp = Exporter(exporter_bin, work, uri, ["--config", cfg])
    exp2 = None
    try:
        tap.run("pushes arrive before the outage", lambda: wait_until(lambda: influx.count("vm_metrics") >= 2 * DOMAINS,
                                                                      30, "two intervals"))
        influx.stop()
        time.sleep(4 * INTERVAL)  # ~4 intervals x 36 lines: far more than buffer_max_lines (20)
        text = exp.metrics()
        tap.check((metric(text, "virt_exporter_push_spool_lines") or 0) > 20,
                  "during the outage lines beyond the buffer go to the spool",
                  f"spool lines {metric(text, 'virt_exporter_push_spool_lines')}")
        tap.check(metric(text, "virt_exporter_push_lines_dropped_total") == 0, "nothing is dropped during the outage")
        tap.check(exp.stop() == 0, "the exporter stops cleanly during the outage (SIGTERM spools what is queued)")

        exp2 = Exporter(exporter_bin, work, uri, ["--config", cfg])
        time.sleep(3 * INTERVAL)
        influx.start()
        tap.run("after InfluxDB is back the spool drains",
                lambda: wait_until(lambda: (metric(exp2.metrics(), "virt_exporter_push_spool_lines") == 0 and
                                            metric(exp2.metrics(), "virt_exporter_push_queue_lines") == 0), 60,
                                   "spool and queue empty"))
        time.sleep(2 * INTERVAL)
        tap.check(metric(exp2.metrics(), "virt_exporter_push_lines_dropped_total") == 0, "nothing dropped after the restart")
        # SIGTERM delivers what is queued (InfluxDB is up), so every interval written is whole when counted:
        # counting while the exporter runs could catch an interval split across two batches half-written.
        rejected = metric(exp2.metrics(), "virt_exporter_push_lines_rejected_total")
        tap.check(exp2.stop() == 0, "the second exporter stops cleanly, its queue delivered")
        per_time = times(influx)
        stamps = sorted(per_time)
        incomplete = {t: n for t, n in per_time.items() if n != DOMAINS}
        # Should this fail again (it did once on a loaded machine), the two runs' push log lines and the
        # rejected counter say whether the server refused a batch or a collection came out short.
        tap.check(not incomplete, f"every interval has all {DOMAINS} domains ({len(stamps)} intervals)",
                  str(incomplete)[:500] + f"; lines rejected after the restart: {rejected}; push log:\n" +
                  "\n".join(line for e in (exp, exp2) for line in e.output().splitlines()
                            if "push" in line.lower() or "influx" in line.lower())[-3000:])
        parsed = [datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() for t in stamps]
        gaps = sorted((b - a for a, b in zip(parsed, parsed[1:])), reverse=True)
        # One gap may be as long as the exporter restart (stop + start); every other one is an interval. A
        # missing interval is a gap of two; a busy scheduler on a loaded machine delays a tick by a fraction
        # of one, so the bound sits just under two.
        tap.check(gaps and gaps[0] < 6 and all(g < 1.9 * INTERVAL for g in gaps[1:]),
                  "no interval is missing: consecutive points are one interval apart, save the restart",
                  f"largest gaps {gaps[:4]}")
        for m in ("vm_totals", "vm_devices"):
            n = influx.count(m)
            tap.check(n > 0 and n % len(stamps) == 0, f"{m} is complete for every interval ({n} points)")
    finally:
        if exp2:
            exp2.stop()
        exp.stop()
        influx.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
