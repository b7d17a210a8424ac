#!/usr/bin/env python3
"""`virt-exporter --once` agrees with `virsh domstats --raw` for every field of every vexp-* domain.

virsh is read before and after one `--once` (one bulk call each, the exporter's default groups):
- every field virsh reports must be in the exporter's JSON, mapped as below;
- counters must lie between the two reads (inclusive); the guest-side balloon fields, which the guest
  sends as one set every stats period, must be the set of the read whose balloon.last-update the exporter
  reports; strings must equal one of the reads;
- the other way round, every value in the JSON must be a field virsh reported (missing values are
  omitted, never 0), and every NIC and disk in the JSON must be one virsh reported (matched by name).

Mapping (virsh -> JSON): state.F -> state.F, cpu.{time,user,system} -> cpu.*, balloon.F -> balloon.F with
'-' as '_' (last-update -> last_update), vcpu.{current,maximum} -> vcpu.*, vcpu.N.F -> vcpus[index N].F,
net.N.* -> nics[name == net.N.name].* and block.N.* -> disks[name == block.N.name].* with the dots after
the index as '_' (rx.bytes -> rx_bytes), any other numeric field -> extra["its libvirt name"].

Usage: check_once_vs_domstats.py EXPORTER [URI] [--json SNAPSHOT.json] [--prefix vexp-]
       check_once_vs_domstats.py --selftest [FIXTURE_DIR]
  --json      compare a snapshot from a file instead of running EXPORTER (EXPORTER is then ignored)
  --selftest  no libvirt needed: builds a correct snapshot from the recorded stats records
              (tests/fixtures/stats), checks that it passes, and that each kind of damage is reported
Output is TAP (one line per domain and field group, one '#' line per mismatching field); the exit
status is non-zero on any mismatch.
"""
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import Tap  # noqa: E402

GROUPS = ["--state", "--cpu-total", "--balloon", "--vcpu", "--interface", "--block"]  # the exporter's defaults

# Fields virsh reports that have no place in the JSON, each for a reason:
IGNORED = re.compile(
    r"^(net\.count|block\.count"  # the JSON has the lists; net.count also counts NICs without stats
    r"|block\.\d+\.backingIndex"  # (type user); backingIndex is a position in the backing chain, not a
    r"|vcpu\.\d+\.halted)$")      # value; vcpu.N.halted is a boolean only some archs report (not x86 TCG)
# Sent by the guest as one set every stats period, stamped with balloon.last-update.
GUEST_BALLOON = {"swap_in", "swap_out", "major_fault", "minor_fault", "unused", "available", "usable",
                 "last-update", "disk_caches", "hugetlb_pgalloc", "hugetlb_pgfail"}
# Read live from QEMU's /proc/PID at each call and not monotonic: it may dip between the two reads.
# ~3 % of these guests' RSS: seconds after boot it grew by 2 MiB between two reads a second apart (CI saw
# 2084 KiB past the later read once); a unit error (bytes vs KiB) is still 1024x off.
RSS_TOLERANCE_KIB = 8192
# libvirt 9.0 answers cpu.time/user/system for an inactive domain with libvirtd's own CPU time (it reads
# /proc/self/stat when the domain has no PID); the exporter must not report it as the domain's.
INACTIVE_BOGUS = re.compile(r"^cpu\.(time|user|system)$")
INACTIVE_STATES = {"5", "6"}  # shut off, crashed


# ---- virsh ------------------------------------------------------------------------------------------

def parse_domstats(text):
    """virsh domstats --raw output -> {domain name: {field: value string}}, in order."""
    out, cur = {}, None
    for line in text.splitlines():
        if line.startswith("Domain: '") and line.endswith("'"):
            cur = out.setdefault(line[len("Domain: '"):-1], {})
        elif cur is not None and line.startswith("  ") and "=" in line:
            k, v = line.strip().split("=", 1)
            cur[k] = v
    return out


def virsh(uri, *args, timeout=60):
    return subprocess.run(["virsh", "-r", "-c", uri, *args], capture_output=True, text=True, check=True,
                          timeout=timeout).stdout


def read_all(uri, prefix):
    return {n: f for n, f in parse_domstats(virsh(uri, "domstats", "--raw", *GROUPS)).items()
            if n.startswith(prefix)}


# ---- the mapping ------------------------------------------------------------------------------------

def json_key(suffix):
    return suffix.replace("-", "_").replace(".", "_")


def locate(field):
    """virsh field -> (group, device index or None, JSON key) or None when ignored."""
    if IGNORED.match(field):
        return None
    m = re.match(r"^(net|block)\.(\d+)\.(.+)$", field)
    if m:
        return m.group(1), int(m.group(2)), m.group(3) if m.group(3) in ("name", "path") else json_key(m.group(3))
    m = re.match(r"^vcpu\.(\d+)\.(.+)$", field)
    if m:
        return "vcpus", int(m.group(1)), json_key(m.group(2))
    m = re.match(r"^(state|cpu|balloon|vcpu)\.([^.]+)$", field)
    if m and not (m.group(1) == "vcpu" and m.group(2) not in ("current", "maximum")):
        return m.group(1), None, json_key(m.group(2))
    return "extra", None, field


def flatten(dom, virsh_fields):
    """The exporter's JSON of one domain -> {virsh field name: value}, plus a list of structural problems.

    NICs and disks are given the index virsh uses for the device of the same name."""
    out, problems = {}, []
    for section in ("state", "cpu", "balloon", "vcpu"):
        for k, v in (dom.get(section) or {}).items():
            name = "last-update" if (section, k) == ("balloon", "last_update") else k
            out[f"{section}.{name}"] = v
    # Host CPU, affinity and I/O limits come from per-domain calls (stats groups vcpu_placement and
    # block_iotune), not from the bulk call virsh domstats makes: they are checked by check_placement.py.
    for v in dom.get("vcpus") or []:
        for k, x in v.items():
            if k not in ("index", "host_cpu", "affinity"):
                out[f"vcpu.{v.get('index')}.{k}"] = x
    for k, v in (dom.get("extra") or {}).items():
        out[k] = v
    for group, key in (("net", "nics"), ("block", "disks")):
        index_of = {}
        for k, v in virsh_fields.items():
            m = re.match(rf"^{group}\.(\d+)\.name$", k)
            if m:
                index_of.setdefault(v, m.group(1))
        seen = set()
        for dev in dom.get(key) or []:
            name = dev.get("name")
            if name in seen:
                problems.append((group, f"{key}: {name!r} appears twice"))
                continue
            seen.add(name)
            idx = index_of.get(name)
            if idx is None:
                problems.append((group, f"{key}[{name!r}]: a device virsh does not report"))
                continue
            for k, v in dev.items():
                if k in ("info", "iotune"):
                    continue
                suffix = k if k in ("name", "path") else k.replace("_", ".", 1)
                out[f"{group}.{idx}.{suffix}"] = v
    return out, problems


def numeric(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    try:
        return int(v)
    except (TypeError, ValueError):
        try:
            f = float(v)
            return f if math.isfinite(f) else None
        except (TypeError, ValueError):
            return None


def agrees(field, got, vb, va, balloon_read):
    """Does the exporter's value agree with virsh's before (vb) and after (va) reads?"""
    nb, na, ng = numeric(vb), numeric(va), numeric(got)
    if nb is None or na is None:  # a string field (a name, a path)
        return isinstance(got, str) and got in (vb, va)
    if ng is None:
        return False
    lo, hi = min(nb, na), max(nb, na)
    if field.startswith("balloon.") and field[len("balloon."):] in GUEST_BALLOON:
        if balloon_read == "before":
            return ng == nb
        if balloon_read == "after":
            return ng == na
        return lo <= ng <= hi or field[8:] in ("unused", "available", "usable", "disk_caches")
    if field == "balloon.rss":
        return lo - RSS_TOLERANCE_KIB <= ng <= hi + RSS_TOLERANCE_KIB
    return lo <= ng <= hi


def compare(before, after, snapshot):
    """-> (names compared, {name: {group: [problem]}}, [snapshot-level problem])."""
    domains = {}
    top = []
    for d in snapshot.get("domains", []):
        if d.get("name") in domains:
            top.append(f"domain {d.get('name')!r} appears twice in --once")
        domains[d.get("name")] = d
    results = {}
    for name, b in before.items():
        a = after.get(name)
        if a is None:  # gone between the reads (not in this tier's guests)
            continue
        probs = results.setdefault(name, {})

        def note(group, text=None):
            probs.setdefault(group, [])
            if text:
                probs[group].append(text)

        d = domains.get(name)
        if d is None:
            note("domain", "missing in --once")
            continue
        mine, structural = flatten(d, b)
        for group, text in structural:
            note(group, text)
        inactive = b.get("state.state") in INACTIVE_STATES
        bl = mine.get("balloon.last-update")
        balloon_read = ("before" if str(bl) == b.get("balloon.last-update") else
                        "after" if str(bl) == a.get("balloon.last-update") else "between")
        for field, vb in b.items():
            loc = locate(field)
            if loc is None:
                continue
            group = loc[0] if loc[0] != "vcpus" else "vcpu"
            if group == "extra" and numeric(vb) is None:
                continue  # extra holds numbers only (a string such as dirtyrate.calc_mode has no place)
            note(group)
            if inactive and INACTIVE_BOGUS.match(field):
                if field in mine:
                    note(group, f"{field}: exporter {mine[field]} for an inactive domain; libvirt reports "
                                f"libvirtd's own CPU time there (virsh {vb} then {a.get(field)}): omit it")
                continue
            if field not in mine:
                note(group, f"{field}: missing in --once (virsh {vb})")
            elif not agrees(field, mine[field], vb, a.get(field, vb), balloon_read):
                note(group, f"{field}: exporter {mine[field]!r}, virsh {vb} then {a.get(field)}")
        for field, v in mine.items():
            if field not in b and field not in a:
                loc = locate(field)
                group = "extra" if loc is None else (loc[0] if loc[0] != "vcpus" else "vcpu")
                note(group, f"{field}: exporter reports {v!r}, virsh has no such field")
    return results, top


# ---- self test --------------------------------------------------------------------------------------

def snapshot_from(records):
    """The JSON a correct exporter would print for these virsh records (the mapping above, inverted)."""
    doms = []
    for name, f in records.items():
        d = {"name": name, "uuid": "0" * 32, "id": 1, "state": {}, "cpu": {}, "balloon": {}, "vcpu": {},
             "vcpus": [], "nics": [], "disks": [], "extra": {}, "skipped_devices": 0}
        dev = {"net": {}, "block": {}}
        vcpus = {}
        inactive = f.get("state.state") in INACTIVE_STATES
        for field, v in f.items():
            loc = locate(field)
            if loc is None or (inactive and INACTIVE_BOGUS.match(field)):
                continue
            group, idx, key = loc
            n = numeric(v)
            value = v if n is None else n
            if group in ("net", "block"):
                dev[group].setdefault(idx, {})[key] = value
            elif group == "vcpus":
                vcpus.setdefault(idx, {"index": idx})[key] = value
            elif group == "extra":
                if n is not None:
                    d["extra"][field] = n
            else:
                d[group][key] = value
        d["vcpus"] = [vcpus[i] for i in sorted(vcpus)]
        d["nics"] = [dict(x, info={"type": "ethernet"}) for _, x in sorted(dev["net"].items()) if "name" in x]
        d["disks"] = [dict(x, info={"bus": "virtio"}) for _, x in sorted(dev["block"].items())]
        doms.append(d)
    return {"libvirt_up": True, "complete": True, "groups": [], "domains": doms}


def selftest(fixture_dir):
    import copy
    tap = Tap()
    records = {}
    for fn in sorted(os.listdir(fixture_dir)):
        if fn.endswith(".txt"):
            with open(os.path.join(fixture_dir, fn), encoding="utf-8") as fh:
                for name, fields in parse_domstats(fh.read()).items():
                    disks = [v for k, v in fields.items() if re.match(r"^block\.\d+\.name$", k)]
                    if len(disks) == len(set(disks)):  # not a --backing record (not a default group)
                        records[name] = fields
    tap.check(len(records) >= 4, f"records loaded from {fixture_dir}: {sorted(records)}")
    good = snapshot_from(records)

    def failures(snap, before=records, after=records):
        res, top = compare(before, after, snap)
        return top + [f"{n} {g}: {t}" for n, gs in res.items() for g, ts in gs.items() for t in ts]

    f = failures(good)
    tap.check(not f, "a correct snapshot passes", "\n".join(f))
    tcg = next(n for n in records if records[n].get("net.count") == "2" and records[n].get("state.state") == "1")

    def damaged(fn):
        s = copy.deepcopy(good)
        fn(next(d for d in s["domains"] if d["name"] == tcg))
        return s

    cases = [
        ("a missing counter", lambda d: d["cpu"].pop("user")),
        ("a counter outside the two reads", lambda d: d["cpu"].update(time=d["cpu"]["time"] + 1)),
        ("a balloon field in KiB*1024", lambda d: d["balloon"].update(rss=d["balloon"]["rss"] * 1024)),
        ("a value virsh did not report (0 instead of absent)", lambda d: d["balloon"].update(bogus=0)),
        ("a vCPU field on the wrong vCPU", lambda d: d["vcpus"][1].update(delay=d["vcpus"][0]["delay"])),
        ("a NIC virsh does not report", lambda d: d["nics"].append({"name": "vnet99", "rx_bytes": 1})),
        ("a missing disk", lambda d: d["disks"].pop()),
        ("a duplicated NIC", lambda d: d["nics"].append(dict(d["nics"][0]))),
        ("a NIC counter off by one", lambda d: d["nics"][0].update(rx_pkts=d["nics"][0]["rx_pkts"] + 1)),
        ("a disk path that differs", lambda d: d["disks"][0].update(path="/elsewhere")),
        ("a disk name of the wrong type", lambda d: d["disks"][0].update(name=7)),
        ("an extra field with another value",
         lambda d: d["extra"].update({k: v + 1 for k, v in d["extra"].items()})),
    ]
    for what, fn in cases:
        f = failures(damaged(fn))
        tap.check(bool(f), f"the check reports {what}", "nothing reported")
        for line in f[:3]:
            print(f"#   {line}")
    # Counters between the reads pass; the guest's balloon set must come from one read.
    after = copy.deepcopy(records)
    after[tcg]["cpu.time"] = str(int(records[tcg]["cpu.time"]) + 10)
    after[tcg]["balloon.last-update"] = str(int(records[tcg]["balloon.last-update"]) + 2)
    after[tcg]["balloon.unused"] = str(int(records[tcg]["balloon.unused"]) - 100)
    s = copy.deepcopy(good)
    d = next(x for x in s["domains"] if x["name"] == tcg)
    d["cpu"]["time"] += 5
    f = failures(s, records, after)
    tap.check(not f, "a counter between the two reads passes", "\n".join(f))
    d["balloon"]["unused"] -= 100  # the after read's value with the before read's last-update
    f = failures(s, records, after)
    tap.check(bool(f), "balloon fields mixed from two guest updates are reported", "nothing reported")
    off = next((n for n in records if records[n].get("state.state") == "5"), None)
    if off:
        s = copy.deepcopy(good)
        next(x for x in s["domains"] if x["name"] == off)["cpu"]["time"] = int(records[off]["cpu.time"])
        f = failures(s)
        tap.check(bool(f), "cpu.time of a shut-off domain (libvirtd's own CPU time) is reported", "nothing")
    return tap.done()


# ---- main -------------------------------------------------------------------------------------------

def main(argv):
    if "--selftest" in argv:
        rest = [a for a in argv[1:] if a != "--selftest"]
        here = os.path.dirname(os.path.abspath(__file__))
        return selftest(rest[0] if rest else os.path.join(here, "..", "..", "fixtures", "stats"))
    args, opts = [], {}
    it = iter(argv[1:])
    for a in it:
        if a in ("--json", "--prefix"):
            opts[a] = next(it)
        else:
            args.append(a)
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    exporter = args[0]
    uri = args[1] if len(args) > 1 else "qemu:///system"
    prefix = opts.get("--prefix", "vexp-")
    tap = Tap()

    before = read_all(uri, prefix)
    if "--json" in opts:
        with open(opts["--json"], encoding="utf-8") as fh:
            out, rc, err = fh.read(), 0, ""
    else:
        p = subprocess.run([exporter, "--once", "--libvirt.uri", uri], capture_output=True, text=True,
                           timeout=120)
        out, rc, err = p.stdout, p.returncode, p.stderr
    after = read_all(uri, prefix)

    tap.check(len(before) >= 1, f"{prefix}* domains to compare: {sorted(before)}")
    tap.check(rc == 0, f"--once exits 0 against {uri}", err[-3000:])
    try:
        snap = json.loads(out)
    except ValueError as e:
        tap.check(False, "--once prints one JSON document", f"{e}\n{out[:2000]}")
        return tap.done()
    tap.check(snap.get("libvirt_up") is True and snap.get("complete") is True,
              "the snapshot is complete and libvirt is up",
              json.dumps({k: v for k, v in snap.items() if k != "domains"}, indent=1))
    groups = snap.get("groups") or []
    tap.check(groups and all(g.get("success") and not g.get("per_domain") for g in groups),
              "QEMU serves every group from the bulk call", json.dumps(groups, indent=1))
    tap.check(not snap.get("domains_skipped"), "no domain skipped", f"domains_skipped={snap.get('domains_skipped')}")

    # Identity: UUID (and the id of a running domain) as libvirt has it.
    listed = {}
    for line in virsh(uri, "list", "--all", "--uuid", "--name").splitlines():
        if line.strip():
            u, _, n = line.partition(" ")
            listed[n] = u
    domains = {d.get("name"): d for d in snap.get("domains", [])}
    wrong = [f"{n!r}: uuid {domains[n].get('uuid')} (libvirt {listed.get(n)})" for n in before
             if n in domains and domains[n].get("uuid") != listed.get(n)]
    tap.check(not wrong, "every domain has libvirt's UUID", "\n".join(wrong))

    results, top = compare(before, after, snap)
    tap.check(not top, "each domain once in --once", "\n".join(top))
    for name in sorted(results):
        for group, texts in sorted(results[name].items()):
            tap.check(not texts, f"{name}: every {group} field agrees with virsh domstats (both ways)",
                      "\n".join(texts))
        d = domains.get(name)
        if d and d.get("state", {}).get("state") == 1:
            want = {"available", "usable", "unused", "rss", "disk_caches", "swap_in", "major_fault", "last_update"}
            tap.check(want <= set(d.get("balloon", {})), f"{name}: a booted guest has the guest-side balloon fields",
                      f"missing: {sorted(want - set(d.get('balloon', {})))}")
        if d and d.get("nics"):
            tap.check(all((n.get("info") or {}).get("type") == "ethernet" for n in d["nics"]) and
                      all((x.get("info") or {}).get("bus") == "virtio" for x in d["disks"]),
                      f"{name}: NIC and disk attributes come from the domain XML",
                      json.dumps([x.get("info") for x in d["nics"] + d["disks"]]))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
