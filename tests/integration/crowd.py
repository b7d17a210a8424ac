#!/usr/bin/env python3
"""Crowds of clients (issue 16, item 5): 1000 idle TCP connections, 200 slowloris clients (a header byte a
second) and 200 clients stalled in the TLS handshake (half a ClientHello), all at once, on a plain HTTP
and on a TLS exporter with the default web settings. A Prometheus-style scrape (keep-alive, gzip) must
answer within 100 ms of its idle latency (medians of several scrapes, on a kept-alive connection opened
during the crowd and on a new connection per scrape), and the exporter's RSS, threads and open files must
stay bounded during the crowd and come back to rest after it. Under a sanitizer the latency and RSS goals are
skipped (they are the plain build's), and the crowd runs for the sanitizer's reports; the test runs alone
(meson's is_parallel), since a neighbour's load would be timed too.

Every figure is printed as a TAP comment; README "Crowds of clients" quotes them. The crowd runs in its
own process (crowd_clients.py), so that its work does not hold this script's GIL while scrapes are timed.

Usage: crowd.py EXPORTER SOURCE_DIR
"""
import gzip
import http.client
import json
import os
import re
import resource
import ssl
import statistics
import sys
import time

import sanitizers
from fixtures import Process, free_port, wait_until, workdir
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-crowd-")
    tls_dir = os.path.join(source_dir, "tests/fixtures/tls")
    IDLE, SLOW, HALF = 1000, 200, 200
    CROWD = IDLE + SLOW + HALF
    SCRAPES = 9  # per series; medians of 9 resist the odd slow scrape of a shared 2-core machine
    MARGIN = 0.100  # the goal: within 100 ms of the idle latency (checked on the plain build only)
    PER_CONNECTION_KIB = 96  # the RSS budget of one held connection (measured: ~5 KiB plain, ~55 KiB TLS)
    HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "Prometheus/2.42.0",
               "Accept": "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4",
               "X-Prometheus-Scrape-Timeout-Seconds": "10"}

    def unit_environment():
        """The Environment= settings of contrib/systemd/virt-exporter.service."""
        with open(os.path.join(source_dir, "contrib/systemd/virt-exporter.service")) as f:
            pairs = re.findall(r"^Environment=(\S+?)=(\S*)$", f.read(), re.M)
        return dict(pairs)

    UNIT_ENV = unit_environment()

    def proc_status(pid):
        """(RSS in KiB, threads, open files) of a process, from /proc."""
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
        return (int(re.search(r"^VmRSS:\s+(\d+)", text, re.M).group(1)),
                int(re.search(r"^Threads:\s+(\d+)", text, re.M).group(1)), len(os.listdir(f"/proc/{pid}/fd")))

    def cpu_seconds(pid):
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    class CrowdExporter(Process):
        """The exporter on the demo node with the default web settings (web.max_snapshot_age 0: every scrape
        collects), over TLS when `tls`, or with extra YAML lines under web:."""

        def __init__(self, tls, web_yaml=""):
            self.port, self.tls = free_port(), tls
            cfg = os.path.join(work, f"exporter-{self.port}.yaml")
            with open(cfg, "w") as f:
                f.write("web:\n  max_snapshot_age: 0\n" + web_yaml)
                if tls:
                    web = os.path.join(work, "web.yml")
                    with open(web, "w") as w:
                        w.write(f"tls_server_config:\n  cert_file: {tls_dir}/server.pem\n"
                                f"  key_file: {tls_dir}/server.key\n")
                    f.write(f"  config_file: {web}\n")
            # As the systemd unit runs it (its Environment=: glibc's tcache off, see the unit). meson sets
            # MALLOC_PERTURB_, with which glibc writes every byte it hands out: the 16 KiB request buffer of
            # each of 2048 workers would be resident (+25 MiB) where a deployment has a page of it.
            # sanitizers.py lowers web.max_connections for sanitized runs; this test is about the default.
            dropped = ("MALLOC_PERTURB_", "VIRT_EXPORTER_WEB_MAX_CONNECTIONS")
            env = {k: v for k, v in os.environ.items() if k not in dropped}
            env.update(UNIT_ENV)
            super().__init__([exporter_bin, "--config", cfg, "--libvirt.uri", f"test://{source_dir}/config/demo-node.xml",
                              "--web.listen-address", f"127.0.0.1:{self.port}"],
                             os.path.join(work, f"exporter-{self.port}.log"), env=env)
            wait_until(lambda: scrape(self.connection(2)) is not None, 20, "the exporter answering /metrics")

        def connection(self, timeout=30):
            if self.tls:
                context = ssl.create_default_context(cafile=f"{tls_dir}/ca.pem")
                return http.client.HTTPSConnection("127.0.0.1", self.port, context=context, timeout=timeout)
            return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

        def figures(self):
            return proc_status(self.pid)

    def scrape(conn):
        """Seconds one gzip scrape on `conn` took; raises unless it is a 200 with libvirt_up 1."""
        t0 = time.monotonic()
        conn.request("GET", "/metrics", headers=HEADERS)
        r = conn.getresponse()
        body = r.read()
        elapsed = time.monotonic() - t0
        assert r.status == 200 and r.getheader("Content-Encoding") == "gzip", f"{r.status} {r.getheaders()}"
        assert b"\nlibvirt_up 1\n" in gzip.decompress(body), "libvirt_up 1 missing"
        return elapsed

    def series(exp, fresh):
        """SCRAPES scrapes 0.2 s apart, on one kept-alive connection opened now or a new connection each;
        returns (latencies, the exporter's figures at each scrape)."""
        conn, latencies, figures, ports = exp.connection(), [], [], set()
        for _ in range(SCRAPES):
            if fresh:
                conn.close()
                conn = exp.connection()
            figures.append(exp.figures())
            latencies.append(scrape(conn))
            ports.add(conn.sock.getsockname()[1])
            time.sleep(0.2)
        conn.close()
        assert fresh or len(ports) == 1, f"the kept-alive connection was not kept: {ports}"
        return latencies, figures

    def ms(seconds):
        return f"{seconds * 1000:.1f} ms"

    class Crowd(Process):
        def __init__(self, exp, seconds):
            self.status_file = os.path.join(work, f"crowd-{exp.port}.json")
            super().__init__([sys.executable, os.path.join(os.path.dirname(__file__), "crowd_clients.py"), str(exp.port),
                              "tls" if exp.tls else "plain", str(IDLE), str(SLOW), str(HALF), self.status_file,
                              str(seconds)], os.path.join(work, f"crowd-{exp.port}.log"))

        def connected(self):
            try:
                with open(self.status_file) as f:
                    return sum(json.load(f)["connected"].values())
            except (OSError, ValueError):
                return 0

    def held(exp, crowd, base_files):
        """Waits until the whole crowd is connected and the exporter holds (nearly) all of it."""
        return wait_until(lambda: crowd.connected() == CROWD and exp.figures()[2] >= base_files + 0.95 * CROWD,
                          sanitizers.scaled(30),
                          f"{CROWD} crowd connections held by the exporter")

    def at_rest(exp, base, what):
        """Waits (up to 30 s) until threads and open files are back to `base` and RSS has stopped moving
        (the daemon returns freed memory every 5 s); returns the figures then."""
        wait_until(lambda: exp.figures()[1] <= base[1] and exp.figures()[2] <= base[2], sanitizers.scaled(30),
                   f"{what}: threads and files")
        last = exp.figures()
        for _ in range(5):
            time.sleep(6)
            now = exp.figures()
            if abs(now[0] - last[0]) < 512:
                return now
            last = now
        return last

    def control():
        """The same crowd against the old pool of 16 workers: a new scrape waits (the test can see the fault).
        Returns the figures of that exporter at rest before it."""
        exp = CrowdExporter(False, "  max_connections: 16\n")
        crowd = None
        try:
            series(exp, False)
            start = at_rest(exp, exp.figures(), "16 workers")
            crowd = Crowd(exp, 60)
            wait_until(lambda: crowd.connected() >= 16 + 32 and exp.figures()[2] >= start[2] + 16 + 32, 30,
                       "the 16 workers and the queue taken")
            t0 = time.monotonic()
            try:
                scrape(exp.connection(3))
                waited = time.monotonic() - t0
            except OSError:  # the 3 s timeout
                waited = time.monotonic() - t0
            print(f"# web.max_connections 16: a new scrape during the crowd waited {waited:.1f} s (given up at 3 s)")
            tap.check(waited > 1, f"with web.max_connections: 16 the crowd delays a new scrape ({waited:.1f} s): the "
                      "test sees what the pool prevents")
            return start
        finally:
            if crowd:
                crowd.stop()
            exp.stop()

    def scenario(tls):
        name = "TLS" if tls else "plain HTTP"
        exp = CrowdExporter(tls)
        crowd = None
        try:
            log = open(exp.log_path).read()
            tap.check("(up to 2048 connections" in log, f"{name}: the exporter serves 2048 connections at once",
                      log[-2000:])
            idle_ka, _ = series(exp, False)
            idle_new, _ = series(exp, True)
            rest = at_rest(exp, exp.figures(), f"{name}: before the crowd")
            print(f"# {name}: at rest before the crowd RSS {rest[0]} KiB, threads {rest[1]}, files {rest[2]}")
            if small_pool:
                per_worker = (rest[0] - small_pool[0]) / (rest[1] - small_pool[1])
                print(f"# {name}: {per_worker:.1f} KiB of RSS per idle worker ({small_pool[0]} KiB with "
                      "web.max_connections 16)")
            crowd = Crowd(exp, 120)
            held(exp, crowd, rest[2])
            cpu0, t0 = cpu_seconds(exp.pid), time.monotonic()
            flood_ka, seen_ka = series(exp, False)
            flood_new, seen_new = series(exp, True)
            cpu = (cpu_seconds(exp.pid) - cpu0) / (time.monotonic() - t0)
            seen = seen_ka + seen_new + [exp.figures()]
            crowd.stop()
            during = tuple(max(f[i] for f in seen) for i in range(3))  # the highest of each, at any scrape
            held_at_scrapes = [f[2] - rest[2] for f in seen_ka + seen_new]
            print(f"# {name}: idle scrape medians {ms(statistics.median(idle_ka))} kept-alive, "
                  f"{ms(statistics.median(idle_new))} new connection; during the crowd "
                  f"{ms(statistics.median(flood_ka))} kept-alive (max {ms(max(flood_ka))}), "
                  f"{ms(statistics.median(flood_new))} new connection (max {ms(max(flood_new))})")
            print(f"# {name}: during the crowd (highest) RSS {during[0]} KiB (+{during[0] - rest[0]} KiB, "
                  f"{(during[0] - rest[0]) / CROWD:.1f} KiB a connection), threads {during[1]}, files {during[2]}, "
                  f"CPU {cpu * 100:.0f} % of a core; connections held at the scrapes: median "
                  f"{statistics.median(held_at_scrapes):.0f}, min {min(held_at_scrapes)}")
            # The stalled handshakes and slowloris headers are cut by their timeouts and reconnect within a
            # second, so part of the crowd is always between connections; how large a part is a matter of how
            # fast the exporter accepts again. An instrumented build on a loaded 2-core machine accepts more
            # slowly (a CI run under ASan held a median of 1200 of 1400), so it gets a lower bar.
            share = 0.8 if sanitizers.ACTIVE else 0.95
            tap.check(statistics.median(held_at_scrapes) >= share * CROWD,
                      f"{name}: the exporter held the crowd while it was scraped (median >= {share:.0%})",
                      str(held_at_scrapes))
            for what, idle, flood in (("kept-alive", idle_ka, flood_ka), ("new connection", idle_new, flood_new)):
                if sanitizers.ACTIVE:  # the goal is the product's latency; an instrumented build's is not that
                    tap.check(True, f"{name}: scrape median during the crowd within 100 ms of idle, {what} # SKIP "
                              f"a latency goal is measured on the plain build, not under {sanitizers.SANITIZE}")
                    continue
                tap.check(statistics.median(flood) <= statistics.median(idle) + MARGIN,
                          f"{name}: scrape median during the crowd within 100 ms of idle, {what} "
                          f"({ms(statistics.median(flood))} vs {ms(statistics.median(idle))})",
                          f"idle {[ms(x) for x in idle]}\nflood {[ms(x) for x in flood]}")
            tap.check(during[1] <= rest[1] + 8, f"{name}: no thread added during the crowd ({rest[1]} -> {during[1]})")
            tap.check(during[2] <= rest[2] + 2048 + 32, f"{name}: open files bounded by the pool during the crowd "
                      f"({during[2]} <= {rest[2]} + 2048 workers + 32 queued)")
            if sanitizers.ACTIVE:  # ASan's quarantine and TSan's shadow memory grow with what was touched
                tap.check(True, f"{name}: RSS bounded and back at rest # SKIP not measurable under {sanitizers.SANITIZE}")
            else:
                tap.check(during[0] <= rest[0] + CROWD * PER_CONNECTION_KIB,
                          f"{name}: RSS bounded during the crowd (+{during[0] - rest[0]} KiB <= {CROWD} x "
                          f"{PER_CONNECTION_KIB} KiB)")
            t_stop = time.monotonic()
            after = at_rest(exp, rest, f"{name}: after the crowd")
            print(f"# {name}: after the crowd (at rest {time.monotonic() - t_stop:.0f} s after it stopped) RSS {after[0]} "
                  f"KiB ({after[0] - rest[0]:+d} KiB), threads {after[1]}, files {after[2]}")
            tap.check(after[1] <= rest[1] and after[2] <= rest[2], f"{name}: threads and open files back at rest")
            if not sanitizers.ACTIVE:
                tap.check(after[0] <= rest[0] + 8192, f"{name}: RSS back at rest ({after[0] - rest[0]:+d} KiB)")
            tap.check(exp.stop() == 0, f"{name}: the exporter exits 0 on SIGTERM", exp.output()[-2000:])
        finally:
            if crowd:
                crowd.stop()
            exp.stop()

    if sanitizers.SANITIZE == "thread":
        tap.check(True, "crowds of clients # SKIP 2048 workers under TSan cost 2.4 GB and 17 s to start; the plain and "
                  "ASan builds run this")
        sys.exit(tap.done())
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < CROWD + 512:
        tap.check(True, f"crowds of {CROWD} clients # SKIP the open-files hard limit ({hard}) is below {CROWD + 512}")
        sys.exit(tap.done())
    # The crowd process raises its own; the exporter raises its soft limit to the hard one itself.
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard == resource.RLIM_INFINITY else min(hard, 65536), hard))
    small_pool = None

    def run_control():
        nonlocal small_pool
        small_pool = control()
        return True

    tap.run("the old pool of 16 workers, for comparison", run_control)
    tap.run("plain HTTP crowd", lambda: scenario(False))
    tap.run("TLS crowd", lambda: scenario(True))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
