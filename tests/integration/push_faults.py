#!/usr/bin/env python3
"""The push path's fault matrix, each fault done for real against a loopback write endpoint: the server
answering 500, a server that stalls, a full disk under the spool (a small tmpfs), a reload with a bad
configuration, and SIGTERM with a full buffer. Scrapes stay fast through all of them, and what is lost is
counted. (Kill/restart of InfluxDB: influx_outage.py; 401, 413, 400: push_apis.py; libvirtd killed and
frozen: libvirtd_failures.py.)

Usage: push_faults.py EXPORTER SOURCE_DIR
"""
import gzip
import http.server
import os
import signal
import subprocess
import sys
import threading
import time

from fixtures import Exporter, exporter_config, free_port, metric, wait_until, workdir
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-faults-")
    uri = f"test://{source_dir}/config/demo-node.xml"

    class Endpoint(http.server.BaseHTTPRequestHandler):
        """A /write endpoint whose behaviour the test switches: 'ok', '500' or 'stall' (no answer for 30 s)."""
        mode = "ok"
        lines = []  # every line accepted with 204
        lock = threading.Lock()

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            mode = Endpoint.mode
            if mode == "stall":
                time.sleep(30)
                return
            if mode == "500":
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            with Endpoint.lock:
                Endpoint.lines.extend(l for l in body.decode().split("\n") if l)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Endpoint)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def config(path, extra=""):
        return exporter_config(path, push={
            "url": f"http://127.0.0.1:{server.server_port}", "database": "vms", "interval": 1, "batch_max_sec": 0.2,
            "timeout": 1, "retry_backoff_min": 0.2, "retry_backoff_max": 1, "shutdown_timeout": 2}, extra=extra)

    def start(name, extra=""):
        Endpoint.mode, Endpoint.lines = "ok", []
        return Exporter(exporter_bin, work, uri, ["--config", config(os.path.join(work, f"{name}.yaml"), extra)])

    def quick_scrape(exp):
        """The fastest of three scrapes and its time: a scrape that waited on the push would make all three
        slow, while a busy scheduler on a loaded machine slows one now and then."""
        best = None
        for _ in range(3):
            t0 = time.monotonic()
            text = exp.metrics()
            took = time.monotonic() - t0
            if best is None or took < best[1]:
                best = (text, took)
        return best

    def counter(exp, name):
        return metric(exp.metrics(), name) or 0

    def drains(exp):
        """Waits until nothing is queued or spooled, and returns the /metrics text then."""
        def empty():
            text = exp.metrics()
            queued = (metric(text, "virt_exporter_push_queue_lines") or 0) + \
                (metric(text, "virt_exporter_push_spool_lines") or 0)
            return text if queued == 0 else None
        return wait_until(empty, 30, "the queue and the spool to drain")

    def written_is_accepted(exp):
        """lines_written_total equals the lines the server took, at a moment between two writes: the queue
        gauges do not count the batch on the wire, which the server may have taken before the exporter has
        its answer (a window a sanitized build widens), and the push goes on meanwhile."""
        last = []
        def equal():
            last[:] = [counter(exp, "virt_exporter_push_lines_written_total"), len(Endpoint.lines)]
            return last[0] == last[1]
        try:
            return wait_until(equal, 10, "lines written to equal the lines accepted")
        except TimeoutError:
            raise AssertionError(f"written {last[0]}, accepted {last[1]}") from None

    def server_errors_then_recovery():
        exp = start("500")
        try:
            wait_until(lambda: Endpoint.lines, 10, "the first lines")
            Endpoint.mode = "500"
            failing_since = time.time_ns()
            time.sleep(4)
            text, took = quick_scrape(exp)
            tap.check(took < 1, f"500: scrapes stay fast while every write fails ({took:.2f} s)")
            tap.check((metric(text, "virt_exporter_push_retries_total") or 0) >= 2, "500: writes are retried")
            Endpoint.mode = "ok"
            text = drains(exp)
            stamps = {int(l.rsplit(" ", 1)[1]) for l in Endpoint.lines if l.startswith("vm_metrics,")}
            during = [s for s in stamps if failing_since < s < failing_since + 3_000_000_000]
            tap.check(len(during) >= 2, "500: the intervals collected during the errors arrive after recovery",
                      f"{len(during)} intervals")
            tap.check(metric(text, "virt_exporter_push_lines_dropped_total") == 0, "500: nothing is dropped")
            tap.run("500: lines written equals the lines the server accepted", lambda: written_is_accepted(exp))
        finally:
            exp.stop()

    def stalled_server():
        exp = start("stall")
        try:
            wait_until(lambda: Endpoint.lines, 10, "the first lines")
            Endpoint.mode = "stall"
            time.sleep(4)
            text, took = quick_scrape(exp)
            tap.check(took < 1, f"stalled server: scrapes stay fast ({took:.2f} s)")
            tap.check((metric(text, "virt_exporter_push_retries_total") or 0) >= 1,
                      "stalled server: a write that gets no answer within push.timeout is retried")
            Endpoint.mode = "ok"
            text = drains(exp)
            tap.check(metric(text, "virt_exporter_push_lines_dropped_total") == 0, "stalled server: nothing is dropped")
        finally:
            exp.stop()

    def spool_disk_full():
        spool = os.path.join(work, "spool")
        os.makedirs(spool)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", spool], check=True)
        try:
            # buffer_max_lines above one collection of the demo node (~45 lines): a healthy push never spills.
            exp = start("diskfull", f"  spool_dir: \"{spool}\"\n  buffer_max_lines: 100\n  batch_max_lines: 10\n")
            try:
                wait_until(lambda: Endpoint.lines, 10, "the first lines")
                Endpoint.mode = "500"
                wait_until(lambda: counter(exp, "virt_exporter_push_lines_dropped_total") > 0, 30,
                           "lines dropped once the spool's disk is full")
                text, took = quick_scrape(exp)
                tap.check(took < 1, f"full spool disk: scrapes stay fast ({took:.2f} s)")
                log = exp.output()
                tap.check(log.count("cannot write spool segment") == 1,
                          "full spool disk: one log line says the spool cannot be written",
                          log[-1500:])
                Endpoint.mode = "ok"
                text = drains(exp)
                tap.run("full spool disk: after recovery the spooled and queued lines are delivered",
                        lambda: written_is_accepted(exp))
                def spool_files():
                    return [f for f in os.listdir(spool) if not f.startswith(".")]
                try:  # the gauges reach 0 as the last segment is replayed, a moment before it is removed
                    wait_until(lambda: not spool_files(), 5, "the replayed segments to be removed")
                except TimeoutError:
                    pass
                tap.check(not spool_files(), "full spool disk: the spool is empty after replay", str(spool_files()))
            finally:
                exp.stop()
        finally:
            subprocess.run(["umount", spool], check=False)

    def bad_reload():
        exp = start("reload")
        path = os.path.join(work, "reload.yaml")
        try:
            wait_until(lambda: Endpoint.lines, 10, "the first lines")
            with open(path, "w") as f:
                f.write("push:\n  interval: [\n")
            exp.signal(signal.SIGHUP)
            wait_until(lambda: "reload rejected" in exp.output(), 10, "the reload to be rejected")
            before = len(Endpoint.lines)
            time.sleep(2.5)
            tap.check(len(Endpoint.lines) > before and metric(exp.metrics(), "libvirt_up") == 1,
                      "bad reload: rejected, and the exporter keeps serving and pushing with the old configuration")
            tap.check(path in exp.output().split("reload rejected", 1)[1].splitlines()[0],
                      "bad reload: the log line names the file")
            config(path, "log:\n  level: debug\n")
            exp.signal(signal.SIGHUP)
            wait_until(lambda: "reloaded" in exp.output(), 10, "the good reload")
            tap.check(True, "a good configuration after the bad one is taken")
        finally:
            exp.stop()

    def sigterm_full_buffer():
        # The buffer holds more than one collection (the demo node's is about 40 lines): it fills, and drops,
        # only while the server answers 500.
        exp = start("term", "  buffer_max_lines: 100\n  batch_max_lines: 10\n")
        try:
            wait_until(lambda: Endpoint.lines, 10, "the first lines")
            Endpoint.mode = "500"
            wait_until(lambda: counter(exp, "virt_exporter_push_lines_dropped_total") > 0, 30, "a full buffer")
            t0 = time.monotonic()
            exp.signal(signal.SIGTERM)
            code = exp.proc.wait(20)
            took = time.monotonic() - t0
            tap.check(code == 0 and took < 2 + 3, f"SIGTERM with a full buffer: exits 0 within shutdown_timeout "
                      f"({took:.1f} s)")
            tap.check("no spool, so they are lost" in exp.output(), "SIGTERM with a full buffer: the loss is logged",
                      exp.output()[-1500:])
        finally:
            exp.stop()

    try:
        for scenario in (server_errors_then_recovery, stalled_server, spool_disk_full, bad_reload, sigterm_full_buffer):
            tap.run(f"{scenario.__name__} completes", scenario)
    finally:
        server.shutdown()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
