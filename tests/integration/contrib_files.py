#!/usr/bin/env python3
"""What ships in contrib/ works with the real tools: the Prometheus rules pass `promtool check rules` and
their unit tests (`promtool test rules`), the example scrape config passes `promtool check config`, and
`meson install` lays out the binary, configuration, systemd unit, sysusers/tmpfiles snippets, dashboards
and rules; the installed unit passes `systemd-analyze verify` and `systemd-analyze security` rates it OK
or better.

Usage: contrib_files.py EXPORTER SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys

from fixtures import workdir
from tap import Tap

def main():
    exporter_bin, source_dir = sys.argv[1], sys.argv[2]
    tap = Tap()
    work = workdir("vexp-contrib-")
    prom_dir = os.path.join(source_dir, "contrib", "prometheus")
    build_dir = os.path.dirname(os.path.dirname(os.path.abspath(exporter_bin)))

    def run(*args, cwd=None):
        p = subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=120)
        return p.returncode, p.stdout + p.stderr

    # grafana_dashboards.py runs `promtool check rules` on every YAML here with a top-level `groups:`: the rules
    # file must be one of them, the unit-test file (rule_files:, tests:) and the scrape config must not.
    with open(os.path.join(prom_dir, "virt-exporter.rules.yml")) as f:
        rules_text = f.read()
    others = [n for n in ("virt-exporter.rules.test.yml", "prometheus.yml")
              if re.search(r"^groups:", open(os.path.join(prom_dir, n)).read(), re.M)]
    tap.check(re.search(r"^groups:", rules_text, re.M) and not others,
              "only the rules file has a top-level groups: (what grafana_dashboards.py checks as rules)", f"also: {others}")
    alerts = set(re.findall(r"^\s*- alert: (\S+)", rules_text, re.M))
    with open(os.path.join(prom_dir, "virt-exporter.rules.test.yml")) as f:
        test_text = f.read()
    tested = re.findall(r"^\s*alertname: (\S+)\n\s*exp_alerts:(.*)$", test_text, re.M)
    fires = {a for a, rest in tested if rest.strip() != "[]"}
    quiet = {a for a, rest in tested if rest.strip() == "[]"}
    tap.check(alerts and alerts <= fires, f"the unit tests make each of the {len(alerts)} alerts fire",
              f"never fired: {sorted(alerts - fires)}")
    tap.check(alerts and alerts <= quiet, "the unit tests have a case where each alert stays quiet",
              f"never quiet: {sorted(alerts - quiet)}")

    code, out = run("promtool", "check", "rules", "virt-exporter.rules.yml", cwd=prom_dir)
    tap.check(code == 0, "promtool check rules accepts virt-exporter.rules.yml", out)
    code, out = run("promtool", "test", "rules", "virt-exporter.rules.test.yml", cwd=prom_dir)
    tap.check(code == 0 and "SUCCESS" in out, "promtool test rules: every alert fires and stays quiet as tested", out)
    code, out = run("promtool", "check", "config", "prometheus.yml", cwd=prom_dir)
    tap.check(code == 0, "promtool check config accepts the example prometheus.yml", out)

    dest = os.path.join(work, "root")
    code, out = run("meson", "install", "-C", build_dir, "--destdir", dest, "--no-rebuild", "--quiet")
    tap.check(code == 0, "meson install --destdir succeeds", out[-2000:])
    options = json.loads(subprocess.run(["meson", "introspect", build_dir, "--buildoptions"], capture_output=True,
                                       text=True, check=True).stdout)
    prefix = next(o["value"] for o in options if o["name"] == "prefix")
    root = dest + prefix
    expected = ["bin/virt-exporter", "etc/virt-exporter/exporter.yaml", "lib/systemd/system/virt-exporter.service",
                "lib/sysusers.d/virt-exporter.conf", "lib/tmpfiles.d/virt-exporter.conf",
                "share/virt-exporter/grafana/virt-exporter-prometheus.json",
                "share/virt-exporter/grafana/virt-exporter-influxdb.json",
                "share/virt-exporter/prometheus/virt-exporter.rules.yml",
                "share/virt-exporter/prometheus/prometheus.yml"]
    missing = [f for f in expected if not os.path.isfile(os.path.join(root, f))]
    tap.check(not missing, f"installed under {prefix}: binary, config, unit, sysusers, tmpfiles, dashboards, rules",
              f"missing: {missing}")
    libdir = next(o["value"] for o in options if o["name"] == "libdir")
    shims = [os.path.join(libdir, "virt-exporter", f) for f in ("libssl.so", "libcrypto.so")]
    tap.check(all(os.path.isfile(os.path.join(root, f)) for f in shims),
              f"the OpenSSL shims CivetWeb's TLS needs are installed in {libdir}/virt-exporter", str(shims))
    code, out = run("readelf", "-d", os.path.join(root, "bin/virt-exporter"))
    tap.check(f"[{prefix}/{libdir}/virt-exporter]" in out, "the installed binary finds them through its run path",
              "\n".join(l for l in out.splitlines() if "PATH" in l))
    code, out = run(os.path.join(root, "bin/virt-exporter"), "--version")
    tap.check(code == 0 and out.strip(), "the installed binary runs", out)
    code, out = run(os.path.join(root, "bin/virt-exporter"), "--config", os.path.join(root, "etc/virt-exporter/exporter.yaml"),
                    "--check-config")
    tap.check(code == 0, "the installed configuration is valid", out)
    with open(os.path.join(root, "etc/virt-exporter/exporter.yaml")) as f:
        tap.check(re.search(r"^  spool_dir: /var/lib/virt-exporter/spool$", f.read(), re.M),
                  "the installed configuration spools to the unit's StateDirectory (/var/lib/virt-exporter/spool)")

    unit = os.path.join(root, "lib/systemd/system/virt-exporter.service")
    with open(unit) as f:
        text = f.read()
    tap.check(f"ExecStart={prefix}/bin/virt-exporter --config {prefix}/etc/virt-exporter/exporter.yaml" in text,
              "the installed unit runs the installed binary with the installed config")
    # verify checks that ExecStart is executable: point it into the DESTDIR for the check.
    checked = os.path.join(work, "virt-exporter.service")
    with open(checked, "w") as f:
        f.write(text.replace(f"ExecStart={prefix}/", f"ExecStart={root}/"))
    code, out = run("systemd-analyze", "verify", checked)
    tap.check(code == 0 and not out.strip(), "systemd-analyze verify passes the unit", out)
    code, out = run("systemd-analyze", "security", "--offline=yes", checked)
    m = re.search(r"Overall exposure level for \S+: ([\d.]+) (\S+)", out)
    tap.check(m and m.group(2) in ("OK", "SAFE") and float(m.group(1)) <= 2.0,
              f"systemd-analyze security rates the unit OK or better ({m.group(1) + ' ' + m.group(2) if m else '?'})",
              out[-1500:])
    for setting in ("User=virt-exporter", "SupplementaryGroups=libvirt", "StateDirectory=virt-exporter",
                    "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID"):
        tap.check(setting in text, f"the unit has {setting}")
    with open(os.path.join(root, "lib/sysusers.d/virt-exporter.conf")) as f:
        tap.check("m virt-exporter libvirt" in f.read(), "sysusers puts the user in the libvirt group")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
