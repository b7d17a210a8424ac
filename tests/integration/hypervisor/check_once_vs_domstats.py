#!/usr/bin/env python3
"""--once against real QEMU guests agrees with `virsh domstats` for every field of every guest:
counters lie between a virsh read before and one after, everything else equals one of the two reads.

Usage: check_once_vs_domstats.py EXPORTER [URI]
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import Tap  # noqa: E402

exporter = sys.argv[1]
uri = sys.argv[2] if len(sys.argv) > 2 else "qemu:///system"
tap = Tap()

# Fields virsh shows that the exporter deliberately does not carry as such: counts it derives from the
# lists themselves, the backing-chain index, and the optional groups' fields (kept under "extra").
IGNORED = re.compile(r"^(net\.count|block\.count|block\.\d+\.backingIndex|cpu\.cache\..*|cpu\.haltpoll\..*|"
                     r"dirtyrate\..*|vcpu\.\d+\.halted)$")
# Values that change between two reads although they are not counters.
MOVING_GAUGES = re.compile(r"^(balloon\.(unused|available|usable|rss|disk_caches|last-update)|"
                           r"block\.\d+\.(allocation|physical)|vcpu\.\d+\.state)$")


def domstats(dom):
    out = subprocess.run(["virsh", "-r", "-c", uri, "domstats", "--raw", "--state", "--cpu-total", "--balloon",
                          "--vcpu", "--interface", "--block", dom], capture_output=True, text=True, check=True).stdout
    fields = {}
    for line in out.splitlines()[1:]:
        if "=" in line:
            k, v = line.strip().split("=", 1)
            fields[k] = v
    return fields


def exporter_value(d, field):
    """The value --once reports for a virsh field name, or KeyError."""
    parts = field.split(".")
    group = parts[0]
    if group == "state":
        return d["state"][parts[1]]
    if group == "cpu":
        return d["cpu"][parts[1]]
    if group == "balloon":
        return d["balloon"][parts[1].replace("-", "_")]
    if group == "vcpu":
        if parts[1] in ("current", "maximum"):
            return d["vcpu"][parts[1]]
        return next(v for v in d["vcpus"] if v["index"] == int(parts[1]))[parts[2]]
    raise KeyError(field)


def device_value(devices, names, field):
    """net.N.rx.bytes / block.N.rd.reqs: find the device by the name virsh gives for index N."""
    parts = field.split(".")
    name = names[f"{parts[0]}.{parts[1]}.name"]
    dev = next(x for x in devices if x["name"] == name)
    key = "_".join(parts[2:])
    return dev["name"] if key == "name" else dev[key]


def numeric(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


guests = subprocess.run(["virsh", "-r", "-c", uri, "list", "--all", "--name"], capture_output=True, text=True,
                        check=True).stdout.split()
guests = [g for g in guests if g.startswith("vexp-")]
tap.check(len(guests) >= 1, f"guests to compare: {guests}")

before = {g: domstats(g) for g in guests}
p = subprocess.run([exporter, "--once", "--libvirt.uri", uri], capture_output=True, text=True, timeout=120)
after = {g: domstats(g) for g in guests}
tap.check(p.returncode == 0, "--once exits 0 against libvirtd", p.stderr[-2000:])
snap = json.loads(p.stdout)
domains = {d["name"]: d for d in snap["domains"]}
tap.check(all(not g["per_domain"] for g in snap["groups"]), "QEMU serves every group from the bulk call",
          snap["groups"])

for g in guests:
    d = domains.get(g)
    if not tap.check(d is not None, f"{g}: reported by --once"):
        continue
    b, a = before[g], after[g]
    groups = {}
    for field, vb in b.items():
        if IGNORED.match(field):
            continue
        group = field.split(".")[0]
        try:
            if group == "net":
                got = device_value(d["nics"], b, field)
            elif group == "block":
                got = device_value(d["disks"], b, field)
            else:
                got = exporter_value(d, field)
        except (KeyError, StopIteration):
            groups.setdefault(group, []).append(f"{field}: missing (virsh {vb})")
            continue
        va = a.get(field, vb)
        nb, na, ng = numeric(vb), numeric(va), numeric(got)
        if nb is None or ng is None:
            ok = str(got) in (vb, va)
        elif MOVING_GAUGES.match(field) or field.endswith((".state", ".reason")):
            ok = ng in (nb, na) or min(nb, na) <= ng <= max(nb, na)
        else:  # counters and fixed values: between the two reads
            ok = min(nb, na) <= ng <= max(nb, na)
        if not ok:
            groups.setdefault(group, []).append(f"{field}: exporter {got}, virsh {vb} then {va}")
        else:
            groups.setdefault(group, [])
    for group, problems in sorted(groups.items()):
        tap.check(not problems, f"{g}: every {group}.* field agrees with virsh domstats", "\n".join(problems))
    if d["state"].get("state") == 1:
        want = {"available", "usable", "unused", "rss", "disk_caches", "swap_in", "major_fault", "last_update"}
        tap.check(want <= set(d["balloon"]), f"{g}: a booted guest reports the guest-side balloon fields",
                  sorted(d["balloon"]))
        tap.check(all(n.get("info", {}).get("type") == "ethernet" for n in d["nics"]),
                  f"{g}: NIC attributes come from the domain XML", d["nics"])

sys.exit(tap.done())
