#!/usr/bin/env python3
"""TLS and basic auth from a web-config.yml, with real clients: curl, Python's ssl, and a real Prometheus
scraping over TLS with basic auth and with a client certificate. Also: renewed certificates and changed
users apply without a restart, a broken file leaves the previous one in force, a flood of bad passwords
does not keep Prometheus's scrapes from being answered, and no password or hash reaches the log.

Usage: web_security.py EXPORTER SOURCE_DIR
"""
import base64
import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import sanitizers
from fixtures import Process, bcrypt_hash, free_port, wait_until, workdir
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-websec-")
    tls = os.path.join(source_dir, "tests/fixtures/tls")
    node = os.path.join(source_dir, "config/demo-node.xml")
    PASSWORD = "s3cret-Pr0metheus"
    HASH = bcrypt_hash(PASSWORD)  # cost 10, as `htpasswd -nbBC 10` makes them for operators

    def write(path, text):
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.replace(path + ".tmp", path)  # as configuration management does: never half a file

    def tls_section(cert="server", extra=""):
        return f"tls_server_config:\n  cert_file: {tls}/{cert}.pem\n  key_file: {tls}/{cert}.key\n{extra}"

    class SecureExporter(Process):
        def __init__(self, web_config):
            self.port = free_port()
            super().__init__([exporter_bin, "--libvirt.uri", f"test://{node}", "--web.listen-address",
                              f"127.0.0.1:{self.port}", "--web.config.file", web_config, "--log.level", "debug"],
                             os.path.join(work, f"exporter-{self.port}.log"))
            wait_until(lambda: self.get("/healthz", auth=(PASSWORD,), cert=("client",))[0] in (200, 401), 20,
                       "exporter answers over TLS")

        def get(self, path="/metrics", auth=None, cert=None, method="GET", timeout=10):
            """(status, body, serial of the server certificate); status 0 when TLS or the connection failed."""
            context = ssl.create_default_context(cafile=f"{tls}/ca.pem")
            if cert:
                context.load_cert_chain(f"{tls}/{cert[0]}.pem", f"{tls}/{cert[0]}.key")
            headers = {}
            if auth:
                headers["Authorization"] = "Basic " + base64.b64encode(f"prometheus:{auth[0]}".encode()).decode()
            try:
                conn = http.client.HTTPSConnection("localhost", self.port, context=context, timeout=timeout)
                conn.request(method, path, headers=headers)
                r = conn.getresponse()
                serial = conn.sock.getpeercert()["serialNumber"]
                out = (r.status, r.read().decode("utf-8", "replace"), serial)
                conn.close()
                return out
            except (OSError, ssl.SSLError, http.client.HTTPException):
                return 0, "", ""

    def curl(*args):
        p = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", *args],
                           capture_output=True, text=True)
        return p.stdout.strip(), p.stderr.strip()

    web_auth = os.path.join(work, "web-auth.yml")
    write(web_auth, tls_section() + f"basic_auth_users:\n  prometheus: {HASH}\n")
    web_mtls = os.path.join(work, "web-mtls.yml")
    write(web_mtls, tls_section(extra=f"  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: {tls}/client-ca.pem\n"))
    auth_exp = SecureExporter(web_auth)
    mtls_exp = SecureExporter(web_mtls)
    url = f"https://localhost:{auth_exp.port}/metrics"
    ca = ["--cacert", f"{tls}/ca.pem"]

    code, err = curl(*ca, url)
    tap.check(code == "401", "curl without credentials: 401", code + err)
    code, err = curl(*ca, "-u", "prometheus:wrong", url)
    tap.check(code == "401", "curl with a wrong password: 401", code + err)
    code, err = curl(*ca, "-u", f"prometheus:{PASSWORD}", url)
    tap.check(code == "200", "curl with the right password over TLS: 200", code + err)
    code, err = curl(*ca, "-u", f"prometheus:{PASSWORD}", "--tls-max", "1.1", url)
    tap.check(code == "000", "curl offering at most TLS 1.1 is refused", code + err)
    code, err = curl("-u", f"prometheus:{PASSWORD}", url.replace("https", "http"))
    tap.check(code != "200", "no plain HTTP on the TLS port", code + err)
    code, err = curl(*ca, "-u", f"prometheus:{PASSWORD}", "-X", "POST", url.replace("/metrics", "/api/push/stop"))
    tap.check(code == "404", "an authenticated POST /api/push/stop reaches the handler (404: no push configured)", code)
    code, err = curl(*ca, "-X", "POST", url.replace("/metrics", "/api/push/stop"))
    tap.check(code == "401", "an unauthenticated POST /api/push/stop: 401", code)

    murl = f"https://localhost:{mtls_exp.port}/metrics"
    code, err = curl(*ca, murl)
    tap.check(code == "000", "RequireAndVerifyClientCert: curl without a client certificate is refused", code + err)
    code, err = curl(*ca, "--cert", f"{tls}/stranger.pem", "--key", f"{tls}/stranger.key", murl)
    tap.check(code == "000", "RequireAndVerifyClientCert: a certificate from another CA is refused", code + err)
    code, err = curl(*ca, "--cert", f"{tls}/client.pem", "--key", f"{tls}/client.key", murl)
    tap.check(code == "200", "RequireAndVerifyClientCert: the client CA's certificate gets 200", code + err)

    # A real Prometheus (Go's TLS): one job with basic auth over TLS, one with a client certificate.
    prom_dir = os.path.join(work, "prometheus")
    os.makedirs(prom_dir)
    prom_port = free_port()
    write(os.path.join(prom_dir, "prometheus.yml"), f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: basic_auth
    scheme: https
    tls_config: {{ca_file: {tls}/ca.pem, server_name: localhost}}
    basic_auth: {{username: prometheus, password: {PASSWORD}}}
    static_configs: [{{targets: ['127.0.0.1:{auth_exp.port}']}}]
  - job_name: client_cert
    scheme: https
    tls_config: {{ca_file: {tls}/ca.pem, server_name: localhost, cert_file: {tls}/client.pem, key_file: {tls}/client.key}}
    static_configs: [{{targets: ['127.0.0.1:{mtls_exp.port}']}}]
""")
    prom = Process([shutil.which("prometheus") or "/usr/bin/prometheus", f"--config.file={prom_dir}/prometheus.yml",
                    f"--storage.tsdb.path={prom_dir}/data", f"--web.listen-address=127.0.0.1:{prom_port}"],
                   os.path.join(prom_dir, "prometheus.log"))

    def prom_query(q):
        with urllib.request.urlopen(f"http://127.0.0.1:{prom_port}/api/v1/query?" + urllib.parse.urlencode({"query": q}),
                                    timeout=10) as r:
            return json.loads(r.read())["data"]["result"]

    def both_up():
        jobs = {r["metric"]["job"]: r["value"][1] for r in prom_query("libvirt_up")}
        ups = {r["metric"]["job"]: r["value"][1] for r in prom_query("up")}
        return jobs == {"basic_auth": "1", "client_cert": "1"} and set(ups.values()) == {"1"}

    tap.run("Prometheus scrapes over TLS with basic auth and with a client certificate: up and libvirt_up are 1",
            lambda: wait_until(lambda: both_up(), 60, "both jobs up"))

    # A flood of wrong passwords from 24 threads while Prometheus's credentials are cached: its scrapes go on.
    stop = threading.Event()
    answers = {}
    lock = threading.Lock()

    def flood(i):
        n = 0
        while not stop.is_set():
            status, _, _ = auth_exp.get("/metrics", auth=(f"guess-{i}-{n}",), timeout=20)
            n += 1
            with lock:
                answers[status] = answers.get(status, 0) + 1

    threads = [threading.Thread(target=flood, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    legit = []
    t_end = time.monotonic() + 15
    while time.monotonic() < t_end:
        t0 = time.monotonic()
        status, body, _ = auth_exp.get("/metrics", auth=(PASSWORD,), timeout=20)
        legit.append((status, time.monotonic() - t0, "libvirt_up 1" in body))
        time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    worst = max(d for _, d, _ in legit)
    print(f"# flood answers {answers}; {len(legit)} legitimate scrapes, slowest {worst:.2f} s")
    tap.check(all(s == 200 and ok for s, _, ok in legit) and worst < 5 * sanitizers.TIMEOUT_SCALE,
              f"during a flood of bad passwords ({sum(answers.values())} tries, 401 or 429 each) every legitimate scrape "
              f"is answered (slowest {worst:.2f} s)", str(legit))
    tap.check(set(answers) <= {401, 429} and answers.get(200, 0) == 0, "no wrong password got in", str(answers))
    tap.run("Prometheus's scrapes stayed up through the flood", lambda: wait_until(lambda: both_up(), 20, "both up"))

    # Renewed certificate and a changed password file: the next connections see them, no restart.
    write(web_auth, tls_section("server2") + f"basic_auth_users:\n  prometheus: {HASH}\n")
    tap.run("a renewed certificate is served to new connections within seconds",
            lambda: wait_until(lambda: auth_exp.get("/healthz", auth=(PASSWORD,))[2] == "1002", 10, "serial 1002"))
    write(web_auth, "tls_server_config: [broken\n")
    time.sleep(2.5)
    status, _, serial = auth_exp.get("/metrics", auth=(PASSWORD,))
    tap.check(status == 200 and serial == "1002", "a broken web config leaves the previous one in force", f"{status} {serial}")
    tap.check(auth_exp.get("/metrics")[0] == 401, "... with its users (still 401 without credentials)")
    tap.run("Prometheus still scrapes both", lambda: wait_until(lambda: both_up(), 20, "both up"))

    prom.stop()
    codes = [auth_exp.stop(), mtls_exp.stop()]
    tap.check(codes == [0, 0], "both exporters exit 0 on SIGTERM", str(codes))
    log = auth_exp.output() + mtls_exp.output()
    tap.check("does not load, the previous settings stay in force" in log, "the broken file is logged")
    tap.check(PASSWORD not in log and HASH not in log and HASH[7:29] not in log and
              base64.b64encode(f"prometheus:{PASSWORD}".encode()).decode() not in log,
              "neither the password, its hash nor the Authorization header appear in the debug log")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
