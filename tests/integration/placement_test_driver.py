#!/usr/bin/env python3
"""Stats groups vcpu_placement and block_iotune against libvirt's test driver with the demo node, whose
web-frontend-01 pins vCPUs 0 and 1 and limits its vda: /metrics and --once equal virsh vcpupin and blkdeviotune (a
test:///file URI gives every connection its own copy of the same XML), the groups off export nothing of
them, and a shut-off domain costs no call.

Usage: placement_test_driver.py EXPORTER SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys

from fixtures import Exporter, exporter_config, wait_until, workdir
from placement_values import exported_affinity, exported_host_cpus, exported_limit, virsh_iotune, virsh_pinning
from tap import Tap

DOMAIN = "web-frontend-01"
GROUPS = ["state", "cpu_total", "balloon", "vcpu", "interface", "block", "vcpu_placement", "block_iotune"]

exporter_bin, source_dir = sys.argv[1], sys.argv[2]
uri = f"test://{source_dir}/config/demo-node.xml"
tap = Tap()
work = workdir("vexp-placement-td-")


def whole(text):
    """True when `text` is one fresh collection in which DOMAIN was sampled in time: a scrape answered before
    the first collection finished, or a domain whose per-domain calls the budget cut short, says nothing
    about placement."""
    return (re.search(r"^libvirt_up 1$", text, re.M) and re.search(r"^virt_exporter_snapshot_stale 0$", text, re.M)
            and re.search(r'^libvirt_domain_timed_out\{domain="%s"[,}].* 0$' % DOMAIN, text, re.M))


def scrape(groups):
    """/metrics of an exporter with `groups`, once a scrape holds a whole collection (whole()); otherwise the
    last scrape, with what explains it printed."""
    cfg = exporter_config(os.path.join(work, f"exporter-{len(groups)}.yaml"), libvirt={"stats_groups": groups})
    exp = Exporter(exporter_bin, work, uri, ["--config", cfg])
    texts = []
    try:
        wait_until(lambda: whole(texts.append(exp.metrics()) or texts[-1]), 30, "a whole collection")
    except TimeoutError:
        pass
    try:
        if not whole(texts[-1]):
            print(f"# no whole collection with stats_groups {groups[-2:]} in {len(texts)} scrapes; the last said:")
            for line in texts[-1].splitlines():
                if line.startswith(("libvirt_up", "virt_exporter_snapshot_stale", "libvirt_domain_timed_out",
                                    "virt_exporter_collection_duration_seconds_sum", "virt_exporter_collector")):
                    print("# " + line)
            print("# exporter log:\n# " + exp.output()[-4000:].replace("\n", "\n# "), flush=True)
        return texts[-1]
    finally:
        tap.check(exp.stop() == 0, f"the exporter with stats_groups {groups[-2:]} exits 0")


text = scrape(GROUPS)
pinning = virsh_pinning(uri, DOMAIN)
tap.check(exported_affinity(text, DOMAIN) == pinning and pinning[0] == "0" and pinning[1] == "2-3",
          "libvirt_domain_vcpu_affinity_info's cpus equal virsh vcpupin", f"{exported_affinity(text, DOMAIN)} {pinning}")
cpus = exported_host_cpus(text, DOMAIN)
tap.check(sorted(cpus) == sorted(pinning) and cpus[0] == 0 and cpus[1] in (2, 3),
          "libvirt_domain_vcpu_cpu: one series per vCPU, the pinned ones on their CPUs", cpus)
want = virsh_iotune(uri, DOMAIN, "vda")
tap.check(exported_limit(text, "limit_total_bytes", DOMAIN, "vda") == want["total_bytes_sec"] == 10485760,
          "limit_total_bytes equals virsh blkdeviotune's total_bytes_sec", want)
tap.check(exported_limit(text, "limit_read_requests", DOMAIN, "vda") == want["read_iops_sec"] == 200,
          "limit_read_requests equals virsh blkdeviotune's read_iops_sec")
limits = [line for line in text.splitlines() if line.startswith("libvirt_domain_block_stats_limit")]
tap.check(len(limits) == 2, "limits that are 0 (every other disk's, and vda's others) have no series", limits)
tap.check(not exported_affinity(text, "build-runner-old"), "the shut-off domain has no placement")
calls = dict(re.findall(r'^virt_exporter_libvirt_calls_total\{api="(virDomainGetBlockIoTune)"\} (\S+)$', text, re.M))
tap.check(float(calls.get("virDomainGetBlockIoTune", 0)) > 0, "virDomainGetBlockIoTune calls are counted", calls)

# --once writes the same values: each vCPU's affinity, each disk's limits that are set.
once_cfg = exporter_config(os.path.join(work, "exporter-once.yaml"), libvirt={"stats_groups": GROUPS})
once = subprocess.run([exporter_bin, "--once", "--config", once_cfg, "--libvirt.uri", uri], capture_output=True,
                      text=True, timeout=120)
domain = next((d for d in json.loads(once.stdout or "{}").get("domains", []) if d["name"] == DOMAIN), {})
tap.check({v["index"]: v.get("affinity") for v in domain.get("vcpus", [])} == pinning,
          "--once: each vCPU's affinity equals virsh vcpupin", f"{domain.get('vcpus')} {once.stderr[-2000:]}")
iotune = {d["name"]: d.get("iotune") for d in domain.get("disks", [])}
tap.check(iotune.get("vda") == {k: v for k, v in want.items() if v} and
          all(v is None for k, v in iotune.items() if k != "vda"),
          "--once: vda's iotune holds the limits virsh blkdeviotune says are set, the other disks none", iotune)

text = scrape(GROUPS[:-2])
tap.check(not [line for line in text.splitlines() if line.startswith(("libvirt_domain_vcpu_cpu",
                                                                      "libvirt_domain_vcpu_affinity",
                                                                      "libvirt_domain_block_stats_limit"))],
          "with the groups off (the default) no placement or limit series")
sys.exit(tap.done())
