#!/usr/bin/env python3
"""The write APIs and server answers: v2 against a real VictoriaMetrics (data queried back); the v3
request shape (path, query with push.v3's options, Bearer header, gzip body) against a loopback test
server, since Debian has no InfluxDB 3; and the loopback server answering 401 (retried, logged once), 413 (split), 400 partial
write (not retried).

Usage: push_apis.py EXPORTER SOURCE_DIR
"""
import gzip
import http.server
import json
import os
import signal
import subprocess
import shutil
import sys
import threading
import time
import urllib.parse

from fixtures import Exporter, Process, exporter_config, free_port, http_get, metric, wait_until, workdir
from push_fields import expected_points, mismatches
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-apis-")
    uri = f"test://{source_dir}/config/demo-node.xml"
    TOKEN = "tok-s3cret-value"


    def exporter(push_yaml):
        path = exporter_config(os.path.join(work, f"cfg-{time.monotonic_ns()}.yaml"), push={
            "interval": 1, "batch_max_sec": 0.2, "retry_backoff_min": 0.2, "retry_backoff_max": 0.5}, extra=push_yaml)
        return Exporter(exporter_bin, work, uri, ["--config", path])

    class Recorder(http.server.BaseHTTPRequestHandler):
        """A loopback write endpoint: records each request, answers with what `answer` says."""
        requests = []
        answer = staticmethod(lambda lines: (204, b""))

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            lines = [l for l in body.decode().split("\n") if l]
            Recorder.requests.append({"path": self.path, "headers": dict(self.headers), "lines": lines})
            status, payload = Recorder.answer(lines)
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake = f"http://127.0.0.1:{server.server_port}"

    def scenario(name, push_yaml, answer, check, settle=4):
        Recorder.requests = []
        Recorder.answer = staticmethod(answer)
        exp = exporter(push_yaml)
        try:
            time.sleep(settle)
            tap.run(name, lambda: check(exp))
        finally:
            exp.stop()

    # v3: the request shape.
    def v3_shape(exp):
        assert Recorder.requests, "no request arrived"
        r = Recorder.requests[0]
        path, _, query = r["path"].partition("?")
        q = urllib.parse.parse_qs(query)
        assert path == "/api/v3/write_lp", path
        assert q == {"db": ["vms"], "precision": ["nanosecond"]}, q
        assert r["headers"].get("Authorization") == f"Bearer {TOKEN}", r["headers"]
        assert r["headers"].get("Content-Encoding") == "gzip", r["headers"]
        assert any(l.startswith("vm_metrics,") for l in r["lines"]), r["lines"][:3]
        assert TOKEN not in exp.output(), "the token appears in the exporter's log"
        return True

    scenario("v3: POST /api/v3/write_lp?db=&precision=nanosecond, Bearer token, gzip body",
             f'  url: "{fake}"\n  api: v3\n  database: vms\n  token: "{TOKEN}"\n', lambda lines: (204, b""), v3_shape)

    def v3_options(exp):
        assert Recorder.requests, "no request arrived"
        r = Recorder.requests[0]
        q = urllib.parse.parse_qs(r["path"].partition("?")[2])
        assert q == {"db": ["vms"], "precision": ["second"], "no_sync": ["true"], "accept_partial": ["false"]}, q
        stamps = [l.rsplit(" ", 1)[1] for l in r["lines"]]
        assert stamps and all(len(t) == 10 for t in stamps), stamps[:3]  # seconds since 1970
        return True

    scenario("v3: push.v3.no_sync and accept_partial become query parameters, precision s is \"second\"",
             f'  url: "{fake}"\n  api: v3\n  database: vms\n  precision: s\n'
             '  v3:\n    no_sync: true\n    accept_partial: false\n', lambda lines: (204, b""), v3_options)

    def auth_retried(exp):
        assert len(Recorder.requests) >= 3, f"{len(Recorder.requests)} requests: 401 must be retried"
        log = exp.output()
        assert log.count("authentication failed") == 1, log
        assert (metric(exp.metrics(), "virt_exporter_push_retries_total") or 0) >= 2
        assert TOKEN not in log
        return True

    scenario("401: kept, retried, logged once, token not logged",
             f'  url: "{fake}"\n  api: v2\n  org: o\n  database: vms\n  token: "{TOKEN}"\n',
             lambda lines: (401, b'{"code":"unauthorized","message":"unauthorized access"}'), auth_retried)

    def split(exp):
        sizes = [len(r["lines"]) for r in Recorder.requests]
        delivered = sum(len(r["lines"]) for r in Recorder.requests if len(r["lines"]) <= 5)
        text = exp.metrics()
        assert delivered > 0 and metric(text, "virt_exporter_push_lines_written_total") == delivered, (sizes, delivered)
        assert metric(text, "virt_exporter_push_lines_rejected_total") == 0, sizes
        return True

    scenario("413: the batch is split in halves until it fits, nothing lost",
             f'  url: "{fake}"\n  database: vms\n',
             lambda lines: (413, b'{"error":"Request Entity Too Large"}') if len(lines) > 5 else (204, b""), split)

    def partial_not_retried(exp):
        text = exp.metrics()
        assert metric(text, "virt_exporter_push_retries_total") == 0, "a 400 must not be retried"
        assert (metric(text, "virt_exporter_push_lines_rejected_total") or 0) > 0
        bodies = [tuple(r["lines"]) for r in Recorder.requests]
        assert len(bodies) == len(set(bodies)), "a rejected batch was sent again"
        return True

    scenario("400 partial write: not retried, rejected lines counted",
             f'  url: "{fake}"\n  database: vms\n',
             lambda lines: (400, b'{"error":"partial write: field type conflict dropped=1"}'), partial_not_retried)
    server.shutdown()

    # v2 against a real VictoriaMetrics.
    vm_bin = shutil.which("victoria-metrics")
    vm_port = free_port()
    vm = Process([vm_bin, f"-storageDataPath={work}/vm", f"-httpListenAddr=127.0.0.1:{vm_port}", "-search.latencyOffset=0s"],
                 os.path.join(work, "vm.log"))
    vm_url = f"http://127.0.0.1:{vm_port}"
    try:
        wait_until(lambda: http_get(vm_url + "/health", timeout=2)[0] == 200, 30, "VictoriaMetrics /health")
        exp = exporter(f'  url: "{vm_url}"\n  api: v2\n  org: test\n  bucket: vms\n  token: "{TOKEN}"\n')
        try:
            def queried_back():
                status, _, body = http_get(vm_url + "/api/v1/query?" + urllib.parse.urlencode(
                    {"query": 'vm_metrics_maxmem{name="one-101"}'}))
                return status == 200 and b'"one-101"' in body and b'"2097152"' in body
            tap.run("v2 to VictoriaMetrics: vm_metrics.maxmem of one-101 is queried back",
                    lambda: wait_until(queried_back, 30, "data in VictoriaMetrics"))

            def devices():
                status, _, body = http_get(vm_url + "/api/v1/series?" + urllib.parse.urlencode(
                    {"match[]": 'vm_devices_rxbytes{devtype="nic"}'}))
                return status == 200 and body.count(b'"device"') >= 5
            tap.run("v2 to VictoriaMetrics: vm_devices per NIC with devtype and device tags",
                    lambda: wait_until(devices, 30, "vm_devices series"))

            def run_once():
                p = subprocess.run([exporter_bin, "--once", "--libvirt.uri", uri], capture_output=True, text=True,
                                   timeout=60)
                return {d["name"]: d for d in json.loads(p.stdout)["domains"]}

            def added_fields_match_once(before):
                # Every series of the measurements, with its newest value (VictoriaMetrics names a field
                # <measurement>_<field> and keeps the tags as labels), read while the exporter is stopped,
                # between the --once before and the one after.
                exp.signal(signal.SIGSTOP)
                try:
                    time.sleep(0.5)
                    status, _, body = http_get(vm_url + "/api/v1/export?" + urllib.parse.urlencode(
                        {"match[]": '{__name__=~"vm_(devices|totals|vcpus|extra)_.*"}'}))
                    after = run_once()
                finally:
                    exp.signal(signal.SIGCONT)
                assert status == 200, status
                newest = {}
                for line in body.decode().splitlines():
                    series = json.loads(line)
                    labels = dict(series["metric"])
                    metric_name = labels.pop("__name__")
                    newest[(metric_name, frozenset(labels.items()))] = series["values"][
                        series["timestamps"].index(max(series["timestamps"]))]
                problems, compared = [], 0
                for name, d in before.items():
                    b_points, a_points = expected_points(d), expected_points(after.get(name, d))
                    for key in b_points.keys() | a_points.keys():
                        measurement, tags = key
                        b, a = b_points.get(key, {}), a_points.get(key, {})
                        wanted = {("name", name), *tags}
                        got = {metric_name[len(measurement) + 1:]: value
                               for (metric_name, labels), value in newest.items()
                               if metric_name.startswith(measurement + "_") and wanted <= labels}
                        problems += [f"{name} {measurement} {tags}: {m}" for m in mismatches(got, b, a)]
                        compared += len(b.keys() | a.keys())
                assert compared > 0 and not problems, "\n".join(problems[:20])
                return True
            once_before = run_once()
            time.sleep(2.5)  # pushes after it
            wait_until(lambda: http_get(vm_url + "/api/v1/series?" + urllib.parse.urlencode(
                {"match[]": "vm_vcpus_cputime"}))[2].count(b'"vcpu"') > 0, 30, "vm_vcpus series")
            tap.run("v2 to VictoriaMetrics: every field issue 21 added (vm_devices disk, vm_totals, vm_vcpus, vm_extra) "
                    "equals --once", lambda: added_fields_match_once(once_before))
        finally:
            exp.stop()
    finally:
        vm.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
