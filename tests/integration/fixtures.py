"""Process fixtures for the integration tests: free loopback ports, the exporter, Prometheus.

Every process is started here and stopped by its own PID (never by name), also when a test fails.
"""
import atexit
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import sanitizers
from sanitizers import scaled


def workdir(prefix):
    """A temp dir for one test script, removed when the script exits (VIRT_EXPORTER_KEEP_WORK=1 keeps it
    for a post-mortem of the logs inside)."""
    path = tempfile.mkdtemp(prefix=prefix)
    if os.environ.get("VIRT_EXPORTER_KEEP_WORK") != "1":
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def _yaml_value(value):
    """A value as the configuration files have it: strings double-quoted (JSON escapes are YAML's), lists
    in flow style."""
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value))


def _yaml_setting(key, value, indent):
    """One setting's line, or a sub-map's block (a dict value: `guest_agent: {enabled: ...}`)."""
    if isinstance(value, dict):
        return f"{indent}{key}:\n" + "".join(_yaml_setting(k, v, indent + "  ") for k, v in value.items())
    return f"{indent}{key}: {_yaml_value(value)}\n"


def exporter_config(path, libvirt=None, web=None, push=None, extra=""):
    """Writes an exporter configuration file at `path` and returns the path. Each of libvirt, web and push
    is a dict of that section's settings (a dict value is a sub-map), written in this order; `extra` is appended as it is (more
    settings of the last section, indented by two spaces, or whole sections)."""
    text = ""
    for section, settings in (("libvirt", libvirt), ("web", web), ("push", push)):
        if settings:
            text += f"{section}:\n" + "".join(_yaml_setting(k, v, "  ") for k, v in settings.items())
    with open(path, "w") as f:
        f.write(text + extra)
    return path


def free_port():
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, headers=None, timeout=10, context=None):
    """Returns (status, headers dict, body bytes); HTTP errors are answers, not exceptions. The timeout is
    scaled for a sanitized build (VEXP_TIMEOUT_SCALE). `context`: an ssl.SSLContext for https URLs."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=scaled(timeout), context=context) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def influxql_string(value):
    """`value` as an InfluxQL string literal: its scanner knows the escapes \\\\ and \\' (a domain name
    may hold both)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def metric(text, name):
    """The value of an unlabelled series `name` in a Prometheus text exposition, or None."""
    m = re.search(r"^%s (\S+)$" % re.escape(name), text, re.M)
    return float(m.group(1)) if m else None


def wait_until(predicate, timeout, what, interval=0.2):
    """Polls predicate() until it is true; the timeout is scaled for a sanitized build (VEXP_TIMEOUT_SCALE)."""
    timeout = scaled(timeout)
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as e:  # noqa: BLE001 - keep polling until the deadline
            last = e
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class Process:
    """A child process stopped by PID on exit; its output goes to a log file kept for diagnostics."""

    def __init__(self, args, log_path, env=None):
        self.args = args
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def signal(self, sig):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)

    def stop(self, timeout=15):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(scaled(timeout))
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def output(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


def bcrypt_hash(password):
    """A bcrypt hash of `password` as `htpasswd -nbBC 10` makes them for a web config's basic_auth_users."""
    return subprocess.run([sys.executable, "-W", "ignore", "-c",
                           "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))",
                           password], capture_output=True, text=True, check=True).stdout.strip()


class WebSecurity:
    """TLS with the test certificates (tests/fixtures/tls: server.pem for localhost, signed by ca.pem) and
    basic auth for one user: the web config file the exporter gets, and how clients and Prometheus reach it."""

    def __init__(self, workdir, source_dir, user="prometheus", password="s3cret-Pr0metheus"):
        self.tls_dir = os.path.join(source_dir, "tests/fixtures/tls")
        self.user, self.password = user, password
        self.path = os.path.join(workdir, "web-config.yml")
        with open(self.path, "w") as f:
            f.write(f"tls_server_config:\n  cert_file: {self.tls_dir}/server.pem\n  key_file: {self.tls_dir}/server.key\n"
                    f"basic_auth_users:\n  {user}: {bcrypt_hash(password)}\n")
        self.context = ssl.create_default_context(cafile=f"{self.tls_dir}/ca.pem")

    def headers(self, password=None):
        token = base64.b64encode(f"{self.user}:{password or self.password}".encode()).decode()
        return {"Authorization": "Basic " + token}

    def scrape_settings(self):
        """The settings of a Prometheus scrape job (under `- job_name:`) that reach the exporter."""
        return (f"    scheme: https\n    tls_config: {{ca_file: {self.tls_dir}/ca.pem, server_name: localhost}}\n"
                f"    basic_auth: {{username: {self.user}, password: {self.password}}}\n")


class Exporter(Process):
    """The exporter on a free loopback port; with `security` (WebSecurity) it speaks TLS and asks for basic
    auth, and get()/metrics() use both."""

    def __init__(self, binary, workdir, uri, extra_args=(), env=None, security=None):
        self.port = free_port()
        self.security = security
        args = [binary, "--libvirt.uri", uri, "--web.listen-address", f"127.0.0.1:{self.port}", *extra_args]
        if security:
            args += ["--web.config.file", security.path]
        super().__init__(args, os.path.join(workdir, f"exporter-{self.port}.log"), env=env)
        self.url = f"https://localhost:{self.port}" if security else f"http://127.0.0.1:{self.port}"
        wait_until(lambda: self.get("/healthz", timeout=2)[0] == 200, 20, "exporter /healthz")

    def get(self, path, headers=None, timeout=10):
        """http_get of `path`, with TLS and credentials when the exporter has them."""
        if not self.security:
            return http_get(self.url + path, headers, timeout)
        return http_get(self.url + path, {**self.security.headers(), **(headers or {})}, timeout,
                        context=self.security.context)

    def stop(self, timeout=15):
        """SIGTERM, then the exit status; a sanitizer report of this process (sanitizers.py) makes a clean
        exit a failed one (sanitizers.EXIT_CODE) and is appended to output()."""
        code = super().stop(timeout)
        if sanitizers.reports(self.pid) and code == 0:
            code = sanitizers.EXIT_CODE
        return code

    def output(self):
        found = sanitizers.reports(self.pid)
        return super().output() + ("\n" + sanitizers.describe(found) if found else "")

    def metrics(self, headers=None):
        status, _, body = self.get("/metrics", headers=headers)
        assert status == 200, f"/metrics answered {status}"
        return body.decode("utf-8")


class Prometheus(Process):
    """Prometheus scraping `targets` as job "virt"; `job_settings` are more lines of that job (indented by
    four spaces, e.g. WebSecurity.scrape_settings())."""

    def __init__(self, workdir, targets, scrape_interval="1s", job_settings=""):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="prom-", dir=workdir)
        cfg = os.path.join(self.dir, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global:\n  scrape_interval: %s\n  scrape_timeout: %s\n" % (scrape_interval, scrape_interval))
            f.write("scrape_configs:\n  - job_name: virt\n%s    static_configs:\n      - targets: [%s]\n"
                    % (job_settings, ", ".join(f"'{t}'" for t in targets)))
        args = [shutil.which("prometheus") or "/usr/bin/prometheus", f"--config.file={cfg}",
                f"--storage.tsdb.path={self.dir}/data", f"--web.listen-address=127.0.0.1:{self.port}"]
        super().__init__(args, os.path.join(self.dir, "prometheus.log"))
        self.url = f"http://127.0.0.1:{self.port}"
        wait_until(lambda: http_get(self.url + "/-/ready", timeout=2)[0] == 200, 60, "prometheus ready")

    def query(self, promql, at=None):
        """An instant query, evaluated now or at Unix time `at` (the newest sample at or before it)."""
        params = {"query": promql} if at is None else {"query": promql, "time": f"{at:.3f}"}
        status, _, body = http_get(self.url + "/api/v1/query?" + urllib.parse.urlencode(params))
        data = json.loads(body)
        assert status == 200 and data["status"] == "success", f"query {promql!r}: {status} {body[:300]!r}"
        return data["data"]["result"]


class SessionLibvirtd:
    """A private, unprivileged libvirtd (session mode, user `nobody`) whose socket lives in a temp dir.

    It serves libvirt's test driver over real RPC (`test+unix:///node.xml?socket=...`) and can be
    stopped, frozen and restarted without touching any system libvirtd.
    """

    def __init__(self, workdir, node_xml):
        import pwd
        os.chmod(workdir, 0o755)  # nobody must be able to reach its own directory inside
        self.dir = tempfile.mkdtemp(prefix="libvirtd-", dir=workdir)
        os.chmod(self.dir, 0o755)
        self.node = os.path.join(self.dir, "node.xml")
        shutil.copyfile(node_xml, self.node)
        os.chmod(self.node, 0o644)
        self.user = pwd.getpwnam("nobody")
        os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        self.socket = os.path.join(self.dir, "libvirt", "libvirt-sock")
        self.uri = f"test+unix://{self.node}?socket={self.socket}"
        self.proc = None
        self.start()

    def start(self):
        env = {"HOME": self.dir, "XDG_RUNTIME_DIR": self.dir, "XDG_CONFIG_HOME": self.dir + "/config",
               "XDG_CACHE_HOME": self.dir + "/cache", "XDG_DATA_HOME": self.dir + "/data", "PATH": "/usr/sbin:/usr/bin"}
        self.log = open(os.path.join(self.dir, "libvirtd.log"), "ab")
        self.proc = subprocess.Popen(["/usr/sbin/libvirtd", "--timeout", "0"], env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, user=self.user.pw_uid, group=self.user.pw_gid,
                                     start_new_session=True)
        wait_until(lambda: subprocess.run(["virsh", "-r", "-c", self.uri, "version"], capture_output=True,
                                          timeout=10).returncode == 0, 30, "private libvirtd answering")

    @property
    def pid(self):
        return self.proc.pid

    def signal(self, sig):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGCONT)  # a frozen daemon cannot act on SIGTERM
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc:
            self.log.close()


class InfluxDB(Process):
    """InfluxDB 1.x (Debian `influxdb`) with every port on loopback and its data in a temp dir."""

    def __init__(self, workdir, database="vms", port=None, collectd_port=None):
        """collectd_port: also listen for collectd's network protocol there (UDP, loopback), into database
        "collectd" (bench/interval_compare.py)."""
        self.port = port or free_port()
        self.collectd_port = collectd_port
        self.rpc_port = free_port()
        self.dir = tempfile.mkdtemp(prefix="influxd-", dir=workdir)
        self.database = database
        self.config = os.path.join(self.dir, "influxdb.conf")
        with open(self.config, "w") as f:
            f.write(f"""reporting-enabled = false
bind-address = "127.0.0.1:{self.rpc_port}"
[meta]
  dir = "{self.dir}/meta"
[data]
  dir = "{self.dir}/data"
  wal-dir = "{self.dir}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:{self.port}"
  log-enabled = false
[ifql]
  enabled = false
[continuous_queries]
  enabled = false
""")
            if collectd_port:
                f.write(f"""[[collectd]]
  enabled = true
  bind-address = "127.0.0.1:{collectd_port}"
  database = "collectd"
  typesdb = "/usr/share/collectd/types.db"
  read-buffer = 16777216
""")
        self.url = f"http://127.0.0.1:{self.port}"
        self.start()

    def start(self):
        super().__init__([shutil.which("influxd") or "/usr/bin/influxd", "run", "-config", self.config],
                         os.path.join(self.dir, "influxd.log"))
        wait_until(lambda: http_get(self.url + "/ping", timeout=2)[0] == 204, 60, "influxd /ping")
        self.query(f'CREATE DATABASE "{self.database}"')

    def query(self, q):
        data = urllib.parse.urlencode({"q": q, "db": self.database}).encode()
        req = urllib.request.Request(self.url + "/query", data=data)
        with urllib.request.urlopen(req, timeout=30) as r:
            body = json.loads(r.read())
        for result in body.get("results", []):
            if "error" in result:
                raise AssertionError(f"{q}: {result['error']}")
        return body["results"][0].get("series", [])

    def count(self, measurement, where=""):
        series = self.query(f'SELECT COUNT(*) FROM "{measurement}" {where}')
        if not series:
            return 0
        cols = series[0]["columns"]
        return max((v for c, v in zip(cols, series[0]["values"][0]) if c != "time" and v is not None), default=0)
