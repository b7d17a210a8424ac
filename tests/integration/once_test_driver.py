#!/usr/bin/env python3
"""--once against libvirt's test driver with the bundled demo node: every demo VM with state, CPU time,
memory, per-NIC and per-disk counters (from the per-domain fill-in) and the device attributes from XML.

Usage: once_test_driver.py EXPORTER SOURCE_DIR
"""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

from tap import Tap

def main():
    exporter, source_dir = sys.argv[1], sys.argv[2]
    node = f"{source_dir}/config/demo-node.xml"
    uri = f"test://{node}"
    tap = Tap()

    proc = subprocess.run([exporter, "--once", "--libvirt.uri", uri], capture_output=True, text=True, timeout=60)
    tap.check(proc.returncode == 0, "--once exits 0 on the demo node", proc.stderr)
    snap = json.loads(proc.stdout) if proc.stdout else {}
    tap.check(snap.get("libvirt_up") is True, "libvirt_up is true")
    domains = {d["name"]: d for d in snap.get("domains", [])}

    root = ET.parse(node).getroot()
    defined = root.findall("domain")
    tap.check(len(domains) == len(defined), f"every demo domain is reported ({len(defined)})",
              f"got {sorted(domains)}")

    for dom_xml in defined:
        name = dom_xml.findtext("name")
        d = domains.get(name)
        if not tap.check(d is not None, f"{name}: present"):
            continue
        tap.check("state" in d.get("state", {}), f"{name}: has a state")
        if d.get("id", -1) < 0:
            tap.check("time" not in d.get("cpu", {}), f"{name}: shut off, so no CPU time is invented")
            continue
        tap.check(d["cpu"].get("time", 0) > 0, f"{name}: CPU time", d.get("cpu"))
        tap.check(d["balloon"].get("current", 0) > 0 and d["balloon"].get("maximum", 0) > 0,
                  f"{name}: memory current and maximum", d.get("balloon"))
        nics = d.get("nics", [])
        xml_nics = dom_xml.findall("./devices/interface")
        tap.check(len(nics) == len(xml_nics), f"{name}: one NIC sample per interface", nics)
        for n in nics:
            tap.check(all(k in n for k in ("rx_bytes", "rx_pkts", "tx_bytes", "tx_pkts")),
                      f"{name}/{n['name']}: NIC counters", n)
            tap.check(n.get("info", {}).get("mac", "") != "", f"{name}/{n['name']}: MAC from the XML", n)
        disks = d.get("disks", [])
        xml_disks = dom_xml.findall("./devices/disk")
        tap.check(len(disks) == len(xml_disks), f"{name}: one disk sample per disk", disks)
        for b in disks:
            tap.check(all(k in b for k in ("rd_reqs", "rd_bytes", "wr_reqs", "wr_bytes")),
                      f"{name}/{b['name']}: disk counters", b)
            tap.check(b.get("info", {}).get("bus", "") != "", f"{name}/{b['name']}: bus from the XML", b)
        tap.check(d.get("xml", {}).get("os_type") == "hvm", f"{name}: OS type from the XML", d.get("xml"))

    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
