#!/usr/bin/env python3
"""What happens to real guests while the exporter serves and pushes: hot-plug and unplug, a guest in a
long job, paused and shut-off guests, a guest destroyed and undefined during scrapes, and libvirtd
restarted under the exporter, and a guest whose QEMU is frozen.

Expects the fixture of run.sh: running guests vexp-test-1 and vexp-test-2 (ACPI, so PCI hot-plug works),
and vexp-off defined but shut off. It changes them (vexp-test-2 is gone afterwards); run.sh tears down.

Usage: check_lifecycle.py EXPORTER HV_SCRIPT      (TAP on stdout)
"""
import os
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixtures import InfluxDB, influxql_string, metric, wait_until, workdir  # noqa: E402
from tap import Tap  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guests import Dump, pushing_exporter, qemu_pid, stop_all, value, virsh  # noqa: E402

STATE = os.environ.get("HV_STATE_DIR", "/tmp/virt-exporter-hv")
NIC_MAC = "52:54:00:ee:00:12"
NIC_XML = f"<interface type='ethernet'><mac address='{NIC_MAC}'/><target dev='vxt1n2'/><model type='virtio'/>" \
          "<rom enabled='no'/></interface>"
DISK_FILE = os.path.join(STATE, "vexp-1-vdd.qcow2")
DISK_XML = f"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{DISK_FILE}'/>" \
           "<target dev='vdd' bus='virtio'/></disk>"
# One collection: a scrape may be answered from a snapshot up to web.max_snapshot_age (1 s) old, and
# the device event reaches the exporter's event loop a moment after virsh returns.
ONE_COLLECTION = 1.5

exporter_bin, hv = sys.argv[1], sys.argv[2]
tap = Tap()
work = workdir("vexp-life-")



def virsh_with_file(cmd, domain, xml):
    path = os.path.join(work, "device.xml")
    with open(path, "w") as f:
        f.write(xml)
    virsh(cmd, domain, path, "--live")


def has_series(text, family, **labels):
    """A series of `family` whose labels include all of `labels` (plain values, no escaping needed)."""
    want = [f'{k}="{v}"' for k, v in labels.items()]
    return any(all(w in line for w in want) for line in text.splitlines() if line.startswith(family + "{"))



influx = InfluxDB(work)
# A TTL far beyond the test: only domain events can make the cache see a hot-plugged device.
exp = pushing_exporter(exporter_bin, work, influx, libvirt={"device_cache_ttl": 3600, "reconnect_backoff_min": 1,
                                                           "reconnect_backoff_max": 2})
scrape = exp.metrics


def fresh_scrape():
    time.sleep(ONE_COLLECTION)
    return scrape()


def devices_in_influx(device, since_ns=0):
    return influx.count("vm_devices", f"WHERE device={influxql_string(device)} AND time > {since_ns}")


def hotplug():
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", DISK_FILE, "16M"], check=True)
    virsh_with_file("attach-device", "vexp-test-1", NIC_XML)
    virsh_with_file("attach-device", "vexp-test-1", DISK_XML)
    text = fresh_scrape()
    tap.check(has_series(text, "libvirt_domain_interface_stats_receive_bytes_total", domain="vexp-test-1",
                         target_device="vxt1n2"), "a hot-plugged NIC's counters are on /metrics after one collection")
    tap.check(has_series(text, "libvirt_domain_interface_stats_info", domain="vexp-test-1", target_device="vxt1n2",
                         mac_address=NIC_MAC),
              "its info series (MAC from the domain XML) too: the device event refreshed the cache")
    tap.check(has_series(text, "libvirt_domain_block_stats_read_requests_total", domain="vexp-test-1",
                         target_device="vdd") and
              has_series(text, "libvirt_domain_block_stats_info", domain="vexp-test-1", target_device="vdd"),
              "a hot-plugged disk's counters and info are on /metrics after one collection")
    tap.run("both new devices reach vm_devices in InfluxDB", lambda: wait_until(
        lambda: devices_in_influx("vxt1n2") and devices_in_influx("vdd"), 10, "vxt1n2 and vdd points"))


def unplug():
    virsh("detach-interface", "vexp-test-1", "ethernet", "--mac", NIC_MAC, "--live")
    virsh_with_file("detach-device", "vexp-test-1", DISK_XML)
    # Unplug completes when the guest lets go of the device (ACPI eject): wait for libvirt to say so.
    wait_until(lambda: not re.search(r"name=(vxt1n2|vdd)$",
                                     virsh("domstats", "--interface", "--block", "vexp-test-1").stdout, re.M),
               20, "the guest to release vxt1n2 and vdd")
    gone_ns = time.time_ns()
    text = fresh_scrape()
    tap.check(not has_series(text, "libvirt_domain_interface_stats_info", target_device="vxt1n2") and
              not has_series(text, "libvirt_domain_interface_stats_receive_bytes_total", target_device="vxt1n2"),
              "an unplugged NIC's series are gone after one collection")
    tap.check(not has_series(text, "libvirt_domain_block_stats_info", domain="vexp-test-1", target_device="vdd") and
              not has_series(text, "libvirt_domain_block_stats_read_requests_total", target_device="vdd"),
              "an unplugged disk's series are gone after one collection")
    time.sleep(3)
    late = devices_in_influx("vxt1n2", gone_ns + int(ONE_COLLECTION * 1e9)) + \
        devices_in_influx("vdd", gone_ns + int(ONE_COLLECTION * 1e9))
    tap.check(late == 0, "no vm_devices points for them after their removal", f"{late} points")


def long_job():
    """A core dump into a FIFO read slowly keeps vexp-test-1 in an async job (paused, reason dumping)."""
    dump = Dump("vexp-test-1", work, 65536 / 0.05)
    try:
        before = scrape()
        text = fresh_scrape()
        tap.check(value(text, "libvirt_domain_info_state", "vexp-test-1") == 3 and
                  value(text, "libvirt_domain_info_state_reason", "vexp-test-1") == 4,
                  "a guest in a dump job is reported paused with reason 4 (dump)")
        tap.check(metric(text, "libvirt_up") == 1 and metric(text, "virt_exporter_snapshot_stale") == 0,
                  "the collection stays fresh and libvirt_up 1 while a guest is in a long job")
        tap.check(value(text, "libvirt_domain_info_cpu_time_seconds_total", "vexp-test-2") >
                  value(before, "libvirt_domain_info_cpu_time_seconds_total", "vexp-test-2"),
                  "the other guests' counters keep moving")
    finally:
        dump.finish(abort=True)
    wait_until(lambda: value(fresh_scrape(), "libvirt_domain_info_state", "vexp-test-1") == 1, 20,
               "vexp-test-1 running again after the aborted dump")


def stuck_guest():
    """QEMU frozen (SIGSTOP): libvirt waits on its monitor without a timeout, so the collection in
    flight hangs. Scrapes must still answer within scrape_timeout, and the next collection (NOWAIT skips
    the frozen guest's job-bound stats) must bring the rest of the host back fresh."""
    pid = qemu_pid("vexp-test-1")
    before = scrape()
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(ONE_COLLECTION)
        t0 = time.monotonic()
        text = scrape()
        tap.check(time.monotonic() - t0 < 5 + 2, "a scrape answers within scrape_timeout while a guest's QEMU is "
                  f"frozen ({time.monotonic() - t0:.1f} s)")

        def fresh_again():
            t = scrape()
            return t if metric(t, "virt_exporter_snapshot_stale") == 0 else None
        text = wait_until(fresh_again, 30, "a fresh collection next to the hung one")
        tap.check(value(text, "libvirt_domain_info_cpu_time_seconds_total", "vexp-test-2") >
                  value(before, "libvirt_domain_info_cpu_time_seconds_total", "vexp-test-2") and
                  metric(text, "libvirt_up") == 1,
                  "the other guests are collected fresh while one guest hangs")
        tap.check(value(text, "libvirt_domain_info_state", "vexp-test-1") is not None,
                  "the frozen guest is still listed (its state, without the stats that need its monitor)")
        tap.check(value(text, "libvirt_domain_timed_out", "vexp-test-1") == 1 and
                  value(text, "libvirt_domain_timed_out", "vexp-test-2") == 0,
                  "libvirt_domain_timed_out is 1 for the frozen guest (NOWAIT skipped its monitor) and 0 for the "
                  "others", [line for line in text.splitlines() if line.startswith("libvirt_domain_timed_out")])
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_until(lambda: has_series(fresh_scrape(), "libvirt_domain_block_stats_read_bytes_total", domain="vexp-test-1"),
               30, "vexp-test-1's block stats back after SIGCONT")
    tap.check(value(fresh_scrape(), "libvirt_domain_timed_out", "vexp-test-1") == 0,
              "libvirt_domain_timed_out is back to 0 once the guest answers again")
    tap.check(exp.output().count("runs alongside it") == 1, "the hung collection is logged once")


def paused_and_shut_off():
    virsh("suspend", "vexp-test-2")
    text = fresh_scrape()
    tap.check(value(text, "libvirt_domain_info_state", "vexp-test-2") == 3, "a paused guest is in state 3")
    tap.check(value(text, "libvirt_domain_info_state", "vexp-off") == 5 and
              value(text, "libvirt_domain_info_cpu_time_seconds_total", "vexp-off") is None,
              "a shut-off domain is in state 5, without CPU time (libvirt's would be libvirtd's own)")
    tap.check(value(text, "libvirt_domain_info_state", "vexp-test-1") == 1 and
              has_series(text, "libvirt_domain_block_stats_read_bytes_total", domain="vexp-test-1"),
              "the running guest's metrics keep flowing next to them")
    virsh("resume", "vexp-test-2")


def destroyed_during_scrapes():
    answers, stop = [], threading.Event()

    def scraper():  # each answer with the time its scrape started: its snapshot is no older than that
        while not stop.is_set():
            started = time.monotonic()
            try:
                text = scrape()
                answers.append((started, metric(text, "libvirt_up"), 'domain="vexp-test-2"' in text))
            except Exception as e:  # noqa: BLE001 - recorded as a failed scrape
                answers.append((started, e, None))
            time.sleep(0.1)

    t = threading.Thread(target=scraper)
    t.start()
    try:
        time.sleep(2)
        virsh("destroy", "vexp-test-2")
        virsh("undefine", "vexp-test-2")
        gone = time.monotonic()
        # A count of scrapes after the removal, not a time: on a loaded machine a scrape may take a while.
        wait_until(lambda: sum(1 for a in answers if a[0] > gone + ONE_COLLECTION) >= 5, 60,
                   "five scrapes started one collection after the removal")
    finally:
        stop.set()
        t.join(30)
    bad = [a for a in answers if a[1] != 1]
    tap.check(not bad and len(answers) > 5, "every scrape while a guest is destroyed and undefined answers 200 "
              "with libvirt_up 1", f"{len(answers)} scrapes; bad: {bad[:3]}")
    late = [a for a in answers if a[0] > gone + ONE_COLLECTION and a[2]]
    tap.check(not late, "its series are gone one collection later", f"{len(late)} scrapes still had it")


def libvirtd_restart():
    if not os.path.exists(os.path.join(STATE, "libvirtd.started")):
        tap.check(True, "libvirtd restart # SKIP this libvirtd was not started by the fixture")
        return
    subprocess.run([hv, "stop-libvirtd"], check=True, stdout=sys.stderr)
    tap.run("libvirt_up goes 0 while libvirtd is down", lambda: wait_until(
        lambda: metric(scrape(), "libvirt_up") == 0, 20, "libvirt_up 0"))
    subprocess.run([hv, "up"], check=True, stdout=sys.stderr)
    t0 = time.monotonic()
    # reconnect_backoff_max is 2 s: reconnected within it plus one collection.
    tap.run("libvirt_up is 1 again within the reconnect backoff once libvirtd is back", lambda: wait_until(
        lambda: metric(scrape(), "libvirt_up") == 1, 2 + 2 * ONE_COLLECTION + 5, "libvirt_up 1"))
    print(f"# reconnected {time.monotonic() - t0:.1f} s after libvirtd answered again")
    tap.check(has_series(fresh_scrape(), "libvirt_domain_interface_stats_info", domain="vexp-test-1",
                         target_device="vxt1n0"), "the running guest and its devices are back")


try:
    tap.run("the exporter serves the guests", lambda: wait_until(
        lambda: has_series(scrape(), "libvirt_domain_info_state", domain="vexp-test-1"), 30, "vexp-test-1"))
    for step in (hotplug, unplug, long_job, stuck_guest, paused_and_shut_off, destroyed_during_scrapes, libvirtd_restart):
        tap.run(f"{step.__name__} completes", step)
    exp.signal(signal.SIGTERM)
    tap.check(exp.proc.wait(30) == 0, "exporter exits 0 on SIGTERM")
finally:
    stop_all(tap, exp, influx)
sys.exit(tap.done())
