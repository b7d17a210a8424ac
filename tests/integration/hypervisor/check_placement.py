#!/usr/bin/env python3
"""vCPU placement and block I/O limits (stats groups vcpu_placement, block_iotune) on real guests, against
what virsh says, on /metrics and in the push to a real InfluxDB 1.6.

run.sh's fixture for this check pins vCPU 0 of vexp-test-1 to host CPU 0 (`virsh vcpupin vexp-test-1 0 0`)
and limits its vda (`virsh blkdeviotune vexp-test-1 vda --total-bytes-sec 10485760 --read-iops-sec 200`);
vexp-test-2 keeps its defaults (no pinning, no limits).
Usage: check_placement.py EXPORTER SOURCE_DIR      (TAP on stdout)
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixtures import InfluxDB, influxql_string, wait_until, workdir  # noqa: E402
from placement_values import (exported_affinity, exported_host_cpus, exported_limit, series,  # noqa: E402
                              virsh_host_cpus, virsh_iotune, virsh_pinning)
from tap import Tap  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guests import URI, pushing_exporter, stop_all, value  # noqa: E402

GUEST, OTHER = "vexp-test-1", "vexp-test-2"
GROUPS = ["state", "cpu_total", "balloon", "vcpu", "interface", "block", "vcpu_placement", "block_iotune"]

exporter_bin, source_dir = sys.argv[1], sys.argv[2]
tap = Tap()
work = workdir("vexp-placement-")


def expand(cpulist):
    cpus = set()
    for part in cpulist.split(","):
        a, _, b = part.partition("-")
        cpus.update(range(int(a), int(b or a) + 1))
    return cpus


influx = InfluxDB(work)
exp = pushing_exporter(exporter_bin, work, influx, libvirt={"stats_groups": GROUPS})


def placement():
    text = exp.metrics()
    pinning, host = virsh_pinning(URI, GUEST), virsh_host_cpus(URI, GUEST)
    print(f"# virsh vcpupin {GUEST}: {pinning}; vcpuinfo CPU: {host}")
    affinity = exported_affinity(text, GUEST)
    tap.check(affinity == pinning, "libvirt_domain_vcpu_affinity_info's cpus equal virsh vcpupin for every vCPU",
              f"{affinity} != {pinning}")
    tap.check(affinity.get(0) == "0", "vCPU 0, pinned by the fixture, has cpus=\"0\"", affinity)
    cpu = exported_host_cpus(text, GUEST)
    tap.check(sorted(cpu) == sorted(host) and cpu.get(0) == 0 == host.get(0),
              "libvirt_domain_vcpu_cpu: one series per vCPU, the pinned vCPU 0 on host CPU 0 as virsh vcpuinfo says",
              f"{cpu} vs {host}")
    tap.check(all(c in expand(pinning[v]) for v, c in cpu.items()),
              "every vCPU's host CPU is one of those its pinning allows", f"{cpu} vs {pinning}")
    other = exported_affinity(text, OTHER)
    tap.check(len(other) == 2, f"{OTHER}'s two vCPUs have their (unpinned) affinity too", other)


def limits():
    text = exp.metrics()
    want = virsh_iotune(URI, GUEST, "vda")
    print(f"# virsh blkdeviotune {GUEST} vda: {want}")
    got = series(text, "libvirt_domain_block_stats_limit_total_bytes", GUEST)
    tap.check(len(got) == 1 and exported_limit(text, "limit_total_bytes", GUEST, "vda") == want["total_bytes_sec"]
              == 10485760, "limit_total_bytes is vda's total_bytes_sec as virsh blkdeviotune says (10485760)", got)
    got = series(text, "libvirt_domain_block_stats_limit_read_requests", GUEST)
    tap.check(len(got) == 1 and exported_limit(text, "limit_read_requests", GUEST, "vda") == want["read_iops_sec"]
              == 200, "limit_read_requests is vda's read_iops_sec (200)", got)
    unset = [f for f in ("limit_write_bytes", "limit_total_requests", "limit_burst_total_bytes")
             if series(text, "libvirt_domain_block_stats_" + f, GUEST)]
    tap.check(not unset and want.get("write_bytes_sec") == 0, "limits that are not set (0) have no series", unset)
    tap.check(not [line for line in text.splitlines() if line.startswith("libvirt_domain_block_stats_limit") and
                   f'domain="{OTHER}"' in line], f"{OTHER} without limits has no limit series")


def pushed():
    host_cpu = wait_until(lambda: influx.query(
        f'SELECT last("host_cpu") FROM "vm_vcpus" WHERE "name" = {influxql_string(GUEST)} AND "vcpu" = \'0\''),
        15, "vm_vcpus host_cpu")
    tap.check(host_cpu[0]["values"][0][1] == 0, "vm_vcpus carries host_cpu 0 for the pinned vCPU 0", host_cpu)
    rows = wait_until(lambda: influx.query(
        f'SELECT last("limit_total_bytes_sec"), last("limit_read_iops_sec") FROM "vm_devices" WHERE '
        f'"name" = {influxql_string(GUEST)} AND "devtype" = \'disk\' AND "device" = \'vda\''), 15,
        "vm_devices limit_* fields")
    tap.check(rows[0]["values"][0][1:] == [10485760, 200],
              "vm_devices carries limit_total_bytes_sec and limit_read_iops_sec for vda", rows)
    tap.check(influx.count("vm_devices", f'WHERE "name" = {influxql_string(OTHER)} AND "limit_total_bytes_sec" > 0')
              == 0, f"no limit_* fields for {OTHER}")


try:
    tap.run("the exporter serves the guests with their placement", lambda: wait_until(
        lambda: series(exp.metrics(), "libvirt_domain_vcpu_cpu", GUEST), 30, GUEST))
    time.sleep(1.5)
    for step in (placement, limits, pushed):
        tap.run(f"{step.__name__} completes", step)
    text = exp.metrics()
    calls = {api: value for api, value in re.findall(
        r'^virt_exporter_libvirt_calls_total\{api="(virDomainGetVcpus|virDomainGetBlockIoTune)"\} (\S+)$', text, re.M)}
    tap.check(len(calls) == 2 and all(float(v) > 0 for v in calls.values()),
              "the calls are counted under virDomainGetVcpus and virDomainGetBlockIoTune", calls)
    tap.check(all(value(text, "libvirt_domain_timed_out", d) == 0 for d in (GUEST, OTHER)),
              "both guests are fresh (timed_out 0)")
finally:
    stop_all(tap, exp, influx)
sys.exit(tap.done())
