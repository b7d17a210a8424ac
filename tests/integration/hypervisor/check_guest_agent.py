#!/usr/bin/env python3
"""Guest filesystems through the QEMU guest agent on real guests (libvirt.guest_agent).

Guests (run.sh's fixture for this check): vexp-ga runs qemu-ga (Debian's, in the initramfs) with an ext4
vdb mounted on /mnt/data; vexp-ga-none has the agent's channel and no agent; vexp-ga-frozen runs qemu-ga
and SIGSTOPs it at boot; vexp-test-1 and -2 have no channel at all.

1. With the option off (the default) the exporter opens no read-write connection: every libvirtd client
   of its PID is read-only (virt-admin client-list / client-info).
2. With it on (interval 5 s): one read-write client of ours; libvirt_domain_guest_filesystem_* of vexp-ga
   equal `virsh guestinfo --filesystem`; guest_agent_up is 1 for it and 0 for the others; the calls stay
   within one per running domain per interval; scrapes stay fast and the domain families fresh while the
   frozen agent's calls wait. The push's vm_devices lines with devtype fs, read back from a real InfluxDB
   1.6, carry the same sizes, and the dashboards' "Guest filesystems" panels (contrib/grafana) return
   vexp-ga's /mnt/data from a real Prometheus and that InfluxDB.

Usage: check_guest_agent.py EXPORTER SOURCE_DIR      (TAP on stdout)
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixtures import Exporter, InfluxDB, Prometheus, exporter_config, influxql_string, metric, wait_until, workdir  # noqa: E402,E501
from tap import Tap  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guests import URI, dashboard_targets, stop_all, value, virsh  # noqa: E402

AGENT, NO_AGENT, FROZEN, PLAIN = "vexp-ga", "vexp-ga-none", "vexp-ga-frozen", "vexp-test-1"
INTERVAL = 5

exporter_bin, source_dir = sys.argv[1], sys.argv[2]
tap = Tap()
work = workdir("vexp-guest-agent-")


def exporter(enabled, influx=None):
    push = {"url": influx.url, "database": influx.database, "interval": 1, "batch_max_sec": 0.2} if influx else None
    cfg = exporter_config(os.path.join(work, f"exporter-{enabled}.yaml"), web={"scrape_timeout": 5},
                          libvirt={"storage_pools": False, "guest_agent": {"enabled": enabled, "interval": INTERVAL}},
                          push=push)
    return Exporter(exporter_bin, work, URI, ["--config", cfg])


def our_clients(pid):
    """(id, readonly) of every libvirtd client whose process is `pid`, from virt-admin."""
    listing = subprocess.run(["virt-admin", "client-list", "libvirtd"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    out = []
    for line in listing.splitlines():
        m = re.match(r"\s*(\d+)\s+unix", line)
        if not m:
            continue
        info = subprocess.run(["virt-admin", "client-info", "libvirtd", m.group(1)], capture_output=True,
                              text=True, timeout=30).stdout
        fields = dict(re.findall(r"^(\S+)\s*:\s*(.*)$", info, re.M))
        if fields.get("unix_process_id", "").strip() == str(pid):
            out.append((m.group(1), fields.get("readonly", "").strip()))
    return out


def guestinfo_filesystems(domain):
    """{mountpoint: (total, used, fstype, [aliases])} from `virsh guestinfo --filesystem`."""
    text = virsh("guestinfo", "--filesystem", domain).stdout
    kv = dict(re.findall(r"^(\S+)\s*:\s*(.*)$", text, re.M))
    out = {}
    for n in range(int(kv.get("fs.count", 0))):
        p = f"fs.{n}."
        aliases = [kv[f"{p}disk.{m}.alias"] for m in range(int(kv.get(p + "disk.count", 0)))
                   if f"{p}disk.{m}.alias" in kv]
        out[kv[p + "mountpoint"]] = (int(kv.get(p + "total-bytes", -1)), int(kv.get(p + "used-bytes", -1)),
                                     kv.get(p + "fstype", ""), aliases)
    return out


def fs_series(text, family, domain):
    """{mountpoint: (value, fstype, disk)} of `family` for `domain`."""
    out = {}
    for line in text.splitlines():
        if not line.startswith(family + "{") or f'domain="{domain}"' not in line:
            continue
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', line.split("} ")[0]))
        out[labels["mountpoint"]] = (float(line.rsplit(" ", 1)[1]), labels["fstype"], labels["disk"])
    return out


def guest_info_calls(text):
    m = re.search(r'^virt_exporter_libvirt_calls_total\{api="virDomainGetGuestInfo"\} (\S+)$', text, re.M)
    return float(m.group(1)) if m else 0.0


def console(key):
    """The serial console of the fixture's guest `key` so far (hypervisor.sh writes it to its state dir)."""
    path = os.path.join(os.environ.get("HV_STATE_DIR", "/tmp/virt-exporter-hv"), f"vexp-{key}.console")
    with open(path, errors="replace") as f:
        return f.read()


def fixture_guests():
    wait_until(lambda: "vexp qemu-ga frozen" in console("gaf"), 30, "the frozen guest's agent to be stopped")
    tap.check("vexp qemu-ga started" in console("ga") and "vexp data mounted" in console("ga") and
              "vexp qemu-ga started" not in console("gan"),
              "the guests' /init: vexp-ga mounted /mnt/data and started qemu-ga, vexp-ga-none started no agent")
    return True


def option_off():
    exp = exporter(False)
    try:
        wait_until(lambda: value(exp.metrics(), "libvirt_domain_info_state", PLAIN) is not None, 30, PLAIN)
        clients = our_clients(exp.pid)
        print(f"# clients of the exporter (off): {clients}")
        tap.check(clients and all(ro == "yes" for _, ro in clients),
                  "with libvirt.guest_agent off every libvirtd client of the exporter is read-only", clients)
        text = exp.metrics()
        tap.check("libvirt_domain_guest_agent_up" not in text, "and no guest family is written")
    finally:
        stop_all(tap, exp)


def pushed_filesystems(influx, domain):
    """{mountpoint: (fs_size, fs_used)} of `domain`'s newest vm_devices lines with devtype fs in `influx`."""
    rows = influx.query('SELECT last("fs_size") AS "size", last("fs_used") AS "used" FROM "vm_devices" WHERE '
                        f'"devtype" = \'fs\' AND "name" = {influxql_string(domain)} GROUP BY "device"')
    return {r["tags"]["device"]: tuple(r["values"][0][1:3]) for r in rows}


def dashboards(exp, prom, influx):
    """The "Guest filesystems" panels of both dashboards, rendered for this host and every domain, return
    AGENT's /mnt/data."""
    for title, q in dashboard_targets(source_dir, "virt-exporter-prometheus.json", "Guest filesystems"):
        q = q.replace("$host", f"127.0.0.1:{exp.port}").replace("$domain", ".*")
        tap.run(f"Prometheus dashboard panel '{title}' returns {AGENT}: {q}",
                lambda q=q: wait_until(lambda: any(r["metric"].get("domain") == AGENT for r in prom.query(q)), 30, q))
    host = influx.query('SHOW TAG VALUES FROM "vm_metrics" WITH KEY = "host"')[0]["values"][0][1]
    for title, q in dashboard_targets(source_dir, "virt-exporter-influxdb.json", "Guest filesystems"):
        q = q.replace("$host", host).replace("$timeFilter", "time > now() - 5m")
        q = q.replace("$__interval", "10s").replace("/^$domain$/", "/^.*$/")
        tap.run(f"InfluxDB dashboard panel '{title}' returns {AGENT}'s /mnt/data: {q}",
                lambda q=q: wait_until(lambda: any(r["tags"] == {"name": AGENT, "device": "/mnt/data"}
                                                   for r in influx.query(q)), 10, q))


def option_on():
    influx = InfluxDB(work)
    exp = exporter(True, influx)
    prom = None
    try:
        text = wait_until(lambda: (lambda t: t if value(t, "libvirt_domain_guest_agent_up", AGENT) == 1 else None)(
            exp.metrics()), 60, f"{AGENT}'s agent to answer")
        clients = our_clients(exp.pid)
        print(f"# clients of the exporter (on): {clients}")
        tap.check([ro for _, ro in clients].count("no") == 1 and len(clients) >= 2,
                  "with it on: one read-write client beside the read-only ones", clients)
        expected = guestinfo_filesystems(AGENT)
        print(f"# virsh guestinfo --filesystem {AGENT}: {expected}")
        size = fs_series(text, "libvirt_domain_guest_filesystem_size_bytes", AGENT)
        used = fs_series(text, "libvirt_domain_guest_filesystem_used_bytes", AGENT)
        print(f"# exporter: size {size} used {used}")
        tap.check("/mnt/data" in expected and set(size) == set(expected),
                  "the exporter reports the mountpoints virsh guestinfo reports, /mnt/data among them",
                  (sorted(size), sorted(expected)))
        tap.check(all(size[m][0] == e[0] and used.get(m, (None,))[0] == e[1] and size[m][1] == e[2] and
                      size[m][2] == ",".join(e[3]) for m, e in expected.items() if m in size),
                  "size, used bytes, fstype and disk equal virsh guestinfo's", (size, used, expected))
        tap.check(size.get("/mnt/data", (0, "", ""))[2] == "vdb", "/mnt/data is on disk vdb")
        pushed = wait_until(lambda: (lambda p: p if "/mnt/data" in p else None)(pushed_filesystems(influx, AGENT)),
                            30, f"{AGENT}'s vm_devices fs lines")
        print(f"# InfluxDB vm_devices devtype=fs of {AGENT}: {pushed}")
        tap.check(set(pushed) == set(expected) and
                  all(pushed[m] == (e[0], e[1]) for m, e in expected.items() if m in pushed),
                  "the push's vm_devices lines (devtype fs) carry virsh guestinfo's sizes, one per mountpoint",
                  (pushed, expected))
        prom = Prometheus(work, [f"127.0.0.1:{exp.port}"])
        dashboards(exp, prom, influx)
        text = wait_until(lambda: (lambda t: t if value(t, "libvirt_domain_guest_agent_up", FROZEN) is not None and
                                   value(t, "libvirt_domain_guest_agent_up", NO_AGENT) is not None else None)(
            exp.metrics()), 30, "every agent asked")
        tap.check(value(text, "libvirt_domain_guest_agent_up", NO_AGENT) == 0 and
                  value(text, "libvirt_domain_guest_agent_up", FROZEN) == 0 and
                  value(text, "libvirt_domain_guest_agent_up", PLAIN) == 0,
                  "guest_agent_up is 0 without an agent, with a frozen one and without a channel")
        # Over a window: at most one call per running domain per interval (plus the round under way).
        running = len([n for n in virsh("list", "--name").stdout.splitlines() if n.strip()])
        c0, t0 = guest_info_calls(exp.metrics()), time.monotonic()
        worst, stale = 0.0, []
        while time.monotonic() - t0 < 4 * INTERVAL:
            s = time.monotonic()
            t = exp.metrics()
            worst = max(worst, time.monotonic() - s)
            stale.append(metric(t, "virt_exporter_snapshot_stale"))
            time.sleep(1)
        c1, t1 = guest_info_calls(exp.metrics()), time.monotonic()
        bound = running * ((t1 - t0) / INTERVAL + 1)
        print(f"# virDomainGetGuestInfo calls in {t1 - t0:.1f} s: {c1 - c0:.0f} ({running} running domains, "
              f"bound {bound:.0f}); slowest scrape {worst:.2f} s; stale {stale}")
        tap.check(c1 - c0 <= bound, "at most one virDomainGetGuestInfo per running domain per interval",
                  (c1 - c0, bound))
        tap.check(worst < 2 and all(s == 0 for s in stale),
                  "scrapes stay fast and the domain families fresh while the frozen agent's calls wait",
                  (worst, stale))
        age = value(exp.metrics(), "libvirt_domain_guest_agent_age_seconds", AGENT)
        tap.check(age is not None and 0 <= age <= 3 * INTERVAL, f"{AGENT}'s answer is at most a few intervals old",
                  age)
    finally:
        stop_all(tap, exp, *[server for server in (prom, influx) if server])


tap.run("the fixture's agents: one running, one absent, one frozen", fixture_guests)
tap.run("option off: no read-write connection", option_off)
tap.run("option on: guest filesystems equal virsh guestinfo's", option_on)
sys.exit(tap.done())
