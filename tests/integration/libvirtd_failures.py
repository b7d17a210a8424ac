#!/usr/bin/env python3
"""libvirtd frozen (SIGSTOP) and restarted under a running exporter: /metrics keeps answering within
scrape_timeout + 1 s and says what it knows (libvirt_up 0 or stale), and becomes fresh again by itself;
SIGTERM while it is frozen ends the exporter within a bounded time.
Uses a private unprivileged libvirtd serving the test driver over real RPC.

Usage: libvirtd_failures.py EXPORTER SOURCE_DIR
"""
import os
import signal
import sys
import time

from fixtures import Exporter, SessionLibvirtd, exporter_config, http_get, metric, scaled, wait_until, workdir
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-lvd-")
    SCRAPE_TIMEOUT = 2.0


    def timed_scrape(exp):
        start = time.monotonic()
        status, _, body = http_get(exp.url + "/metrics", timeout=30)
        return status, body.decode(), time.monotonic() - start

    def fresh_and_up(exp):
        status, text, _ = timed_scrape(exp)
        return status == 200 and metric(text, "libvirt_up") == 1 and metric(text, "virt_exporter_snapshot_stale") == 0

    daemon = SessionLibvirtd(work, f"{source_dir}/config/demo-node.xml")
    cfg = exporter_config(os.path.join(work, "exporter.yaml"),
                          libvirt={"timeout": 2, "keepalive_interval": 1, "keepalive_count": 2,
                                   "reconnect_backoff_min": 0.2, "reconnect_backoff_max": 1},
                          web={"scrape_timeout": SCRAPE_TIMEOUT})
    exp = Exporter(exporter_bin, work, daemon.uri, ["--config", cfg])
    try:
        tap.run("a scrape over RPC is fresh with libvirt_up 1",
                lambda: wait_until(lambda: fresh_and_up(exp), 20, "libvirt_up 1"))
        domains = metric(timed_scrape(exp)[1], "libvirt_domains")
        tap.check(domains == 5, f"all five demo domains over RPC (got {domains})")

        daemon.signal(signal.SIGSTOP)
        time.sleep(1.1)  # past max_snapshot_age, so the next scrape needs a new collection
        worst = 0.0
        saw_down_or_stale = True
        for _ in range(4):
            status, text, took = timed_scrape(exp)
            worst = max(worst, took)
            saw_down_or_stale &= status == 200 and (metric(text, "libvirt_up") == 0 or
                                                    metric(text, "virt_exporter_snapshot_stale") == 1)
        tap.check(worst <= SCRAPE_TIMEOUT + 1, f"with libvirtd frozen every scrape answers within "
                  f"{SCRAPE_TIMEOUT + 1:.0f} s (slowest {worst:.2f} s)")
        tap.check(saw_down_or_stale, "with libvirtd frozen every scrape says libvirt_up 0 or stale 1")
        status, text, _ = timed_scrape(exp)
        tap.check(metric(text, "libvirt_up") == 0, "keepalive notices the frozen daemon: libvirt_up 0",
                  "\n".join(line for line in text.splitlines() if line.startswith(("libvirt_up", "virt_exporter_snapshot"))))

        daemon.signal(signal.SIGCONT)
        tap.run("after SIGCONT the exporter reconnects and scrapes are fresh again",
                lambda: wait_until(lambda: fresh_and_up(exp), 30, "fresh scrape after SIGCONT"))

        daemon.stop()
        tap.run("with libvirtd gone libvirt_up is 0 and /metrics still answers",
                lambda: wait_until(lambda: metric(timed_scrape(exp)[1], "libvirt_up") == 0, 20, "libvirt_up 0"))
        status, _, _ = http_get(exp.url + "/readyz")
        tap.check(status == 503, f"/readyz says not ready while libvirt is down (got {status})")
        daemon.start()
        tap.run("after a libvirtd restart the exporter reconnects by itself",
                lambda: wait_until(lambda: fresh_and_up(exp), 30, "libvirt_up 1 after restart"))

        # SIGTERM while libvirtd is frozen: a collection and the reconnect wait on it, and libvirt cannot
        # cancel a call, so the teardown is bounded (libvirt.timeout + web.scrape_timeout), not joined.
        daemon.signal(signal.SIGSTOP)
        time.sleep(1.1)
        timed_scrape(exp)  # starts a collection that waits on the frozen daemon
        start = time.monotonic()
        code = exp.stop(timeout=30)
        took = time.monotonic() - start
        daemon.signal(signal.SIGCONT)
        bound = scaled(2 + SCRAPE_TIMEOUT) + 2
        tap.check(code == 0 and took <= bound, f"SIGTERM with libvirtd frozen: exits 0 within {bound:.0f} s "
                  f"(exit {code} after {took:.1f} s)", exp.output()[-2000:])
        tap.check("exiting without them" in exp.output(), "the exit says calls were left waiting on libvirtd")
    finally:
        code = exp.stop()
        daemon.stop()
        tap.check(code == 0, "exporter exits 0 on SIGTERM", exp.output()[-2000:])
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
