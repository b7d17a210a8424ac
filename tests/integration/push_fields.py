"""What a push writes for the values issue 21 added to the InfluxDB measurements, derived from a --once
snapshot (its JSON), and the README's field table (measurement, field, type). Shared by influx_push.py
(InfluxDB 1.6) and push_apis.py (VictoriaMetrics), which read the points back and compare.
"""
import os
import re

# vm_devices disk field -> the --once key of the disk (libvirt's block.N.* name).
DISK = {"rd_times": "rd_times", "wr_times": "wr_times", "fl_req": "fl_reqs", "fl_times": "fl_times",
        "capacity": "capacity", "allocation": "allocation", "physical": "physical"}
# vm_totals sums over the disks.
DISK_TOTALS = {"disk_rd_times": "rd_times", "disk_wr_times": "wr_times", "disk_fl_req": "fl_reqs",
               "disk_fl_times": "fl_times"}
BALLOON = {"memunused": "unused", "memhugetlb_pgalloc": "hugetlb_pgalloc", "memhugetlb_pgfail": "hugetlb_pgfail",
           "memlast_update": "last_update"}
VCPU = {"state": "state", "cputime": "time", "wait": "wait", "delay": "delay"}  # vm_vcpus field -> --once key
# Every field the issue added to the four measurements, by measurement (vm_vcpus and vm_extra are new).
ADDED = {"vm_devices": set(DISK), "vm_totals": set(DISK_TOTALS) | set(BALLOON) | {"vcpu_wait", "vcpu_delay", "maxvcpus"},
         "vm_vcpus": set(VCPU)}


def field_name(libvirt_name):
    """vm_extra's field for a libvirt name: every character but a letter, a digit or _ as _."""
    return re.sub(r"[^A-Za-z0-9_]", "_", libvirt_name)


def _sum(items, key):
    values = [i[key] for i in items if key in i]
    return sum(values) if values else None


def _present(fields):
    return {k: v for k, v in fields.items() if v is not None and not (isinstance(v, int) and v < 0)}


def expected_points(domain):
    """{(measurement, ((tag, value), ...)): {field: value}} of the added fields for one --once domain; values
    libvirt did not report are left out, as the push leaves them out."""
    out = {}
    for disk in domain["disks"]:
        out[("vm_devices", (("device", disk["name"]), ("devtype", "disk")))] = _present(
            {f: disk.get(k) for f, k in DISK.items()})
    balloon = domain["balloon"]
    totals = {f: _sum(domain["disks"], k) for f, k in DISK_TOTALS.items()}
    totals.update({f: balloon.get(k) for f, k in BALLOON.items()})
    totals.update({"vcpu_wait": _sum(domain["vcpus"], "wait"), "vcpu_delay": _sum(domain["vcpus"], "delay"),
                   "maxvcpus": domain["vcpu"].get("maximum")})
    out[("vm_totals", ())] = _present(totals)
    for v in domain["vcpus"]:
        out[("vm_vcpus", (("vcpu", str(v["index"])),))] = _present({f: v.get(k) for f, k in VCPU.items()})
    if domain["extra"]:
        out[("vm_extra", ())] = {field_name(k): float(v) for k, v in domain["extra"].items()}
    return {k: v for k, v in out.items() if v}


# The guest sends its balloon statistics as one set every stats period, stamped with balloon.last-update:
# the pushed set is the set of the --once read with the same stamp (or, when the guest sent a new set
# between the two reads, one with a stamp between theirs, whose values no read saw).
GUEST_SET, GUEST_STAMP = {"memunused", "memhugetlb_pgalloc", "memhugetlb_pgfail"}, "memlast_update"


def mismatches(got, before, after):
    """Fields of `got` (a point read back) not between the --once values before and after the push (equal to
    them when both are the same; a guest balloon set equal to the set of the read with its stamp). Returns a
    list of messages."""
    problems = []
    fields = before.keys() | after.keys()
    stamp = got.get(GUEST_STAMP)
    same_set = [x for x in (before, after) if GUEST_STAMP in x and x[GUEST_STAMP] == stamp]
    if GUEST_STAMP in fields and not same_set:
        fields -= GUEST_SET  # a set neither read saw: its stamp must still lie between theirs (below)
    for field in sorted(fields):
        reads = same_set if field in GUEST_SET else (before, after)
        values = [x[field] for x in reads if field in x]
        lo, hi = min(values), max(values)
        value = got.get(field)
        if value is None or not (lo - 1e-9 * abs(lo) <= value <= hi + 1e-9 * abs(hi)):
            problems.append(f"{field}: pushed {value!r}, --once {lo!r}..{hi!r}")
    return problems


def readme_field_types(source_dir):
    """{(measurement, field): type} of the README's push field table; vm_extra rows are patterns."""
    with open(os.path.join(source_dir, "README.md"), encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("<!-- push field table: begin -->"):text.index("<!-- push field table: end -->")]
    return {(m, f): t for m, f, t in re.findall(r"^\| `([a-z_]+)` \| `([^`]+)` \| (\w+) \|", table, re.M)}
