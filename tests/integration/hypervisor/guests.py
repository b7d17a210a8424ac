"""Helpers the hypervisor-tier checks share: virsh on the fixture's libvirtd, a guest's value on /metrics, and
a guest's QEMU process (to freeze it), the exporter pushing every second, a dashboard row's queries, and a core
dump that lasts as long as a check wants."""
import json
import os
import re
import subprocess
import sys

from fixtures import Exporter, exporter_config, wait_until

URI = "qemu:///system"


def virsh(*args, timeout=60, check=True):
    return subprocess.run(["virsh", "-q", "-c", URI, *args], capture_output=True, text=True, timeout=timeout,
                          check=check)


def value(text, family, domain):
    """The value of `family`'s series for `domain` in an exposition, or None."""
    m = re.search(r'^%s\{[^}]*domain="%s"[^}]*\} (\S+)$' % (re.escape(family), re.escape(domain)), text, re.M)
    return float(m.group(1)) if m else None


def qemu_pid(domain):
    """The PID of `domain`'s QEMU, from libvirt's pid file, checked against its command line."""
    with open(f"/run/libvirt/qemu/{domain}.pid") as f:
        pid = int(f.read().strip())
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        assert f"guest={domain},".encode() in f.read(), f"pid {pid} is not {domain}'s QEMU"
    return pid


def pushing_exporter(exporter_bin, work, influx, libvirt=None, scrape_timeout=5):
    """The exporter on the fixture's libvirtd, pushing to `influx` every second, with web.scrape_timeout
    `scrape_timeout` and the `libvirt` settings (a dict) given."""
    cfg = exporter_config(os.path.join(work, "exporter.yaml"), libvirt=libvirt,
                          web={"scrape_timeout": scrape_timeout},
                          push={"url": influx.url, "database": influx.database, "interval": 1,
                                "batch_max_sec": 0.2})
    return Exporter(exporter_bin, work, URI, ["--config", cfg])


def dashboard_targets(source_dir, name, row_title):
    """[(panel title, query)] of the panels under the row titled `row_title` in contrib/grafana/`name`."""
    with open(os.path.join(source_dir, "contrib", "grafana", name), encoding="utf-8") as f:
        panels = json.load(f)["panels"]
    out, inside = [], False
    for p in panels:
        if p.get("type") == "row":
            inside = p.get("title") == row_title
            continue
        if inside:
            for t in p.get("targets", []):
                out.append((p["title"], t.get("expr") or t.get("query")))
    return out


def stop_all(tap, exp, *servers):
    """Stops the exporter and `servers` (each with stop()); after a failed check prints the exporter's log
    tail as TAP comments."""
    for server in servers:
        server.stop()
    exp.stop()
    if tap.failed:
        print("# exporter log (tail):")
        for line in exp.output().splitlines()[-30:]:
            print(f"#   {line}")


class Dump:
    """`virsh dump DOMAIN FIFO` in `directory`, with a reader that drains the FIFO at `rate` bytes/s: the guest
    stays in a dump job (paused, reason dump) until the reader has it all, or finish(abort=True)."""

    def __init__(self, domain, directory, rate):
        self.domain = domain
        self.fifo = os.path.join(directory, domain + ".dump.fifo")
        os.mkfifo(self.fifo)
        reader = ("import sys,time\nf=open(sys.argv[1],'rb')\nrate=float(sys.argv[2])\n"
                  "while True:\n b=f.read(65536)\n if not b: break\n time.sleep(len(b)/rate)\n")
        self.reader = subprocess.Popen([sys.executable, "-c", reader, self.fifo, str(rate)], start_new_session=True)
        self.dump = subprocess.Popen(["virsh", "-q", "-c", URI, "dump", domain, self.fifo],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_until(lambda: "Dump" in virsh("domjobinfo", domain, check=False).stdout, 20, "the dump job to start")

    def running(self):
        return self.dump.poll() is None

    def finish(self, abort):
        """Aborts the job (abort) or lets it end; waits for virsh and the reader; removes the FIFO."""
        if abort:
            virsh("domjobabort", self.domain, check=False)
        for p in (self.dump, self.reader):
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if os.path.exists(self.fifo):
            os.unlink(self.fifo)
