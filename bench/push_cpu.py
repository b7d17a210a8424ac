#!/usr/bin/env python3
"""CPU the exporter spends per push interval at N domains (libvirt's test driver in process, so the
figure includes the per-domain fill-in of every collection), pushing to a real InfluxDB 1.6.
Prints one JSON object.

Usage: push_cpu.py EXPORTER SOURCE_DIR [DOMAINS] [INTERVALS] [MEASUREMENTS]
MEASUREMENTS: push.measurements as a comma-separated list (default: the exporter's default; a build
before issue 21 has no such setting).
"""
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
from fixtures import Exporter, InfluxDB, wait_until, workdir  # noqa: E402

exporter_bin, source_dir = sys.argv[1], sys.argv[2]
domains = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
intervals = int(sys.argv[4]) if len(sys.argv) > 4 else 10
measurements = sys.argv[5].split(",") if len(sys.argv) > 5 else None
work = workdir("vexp-bench-push-")  # removed at exit
node = os.path.join(work, "node.xml")
subprocess.run([sys.executable, f"{source_dir}/tests/fixtures/nodes/generate_node.py", str(domains), "-o", node],
               check=True)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def written(exp):
    m = re.search(r"^virt_exporter_push_lines_written_total (\S+)$", exp.metrics(), re.M)
    return float(m.group(1)) if m else 0.0


influx = InfluxDB(work)
cfg = os.path.join(work, "exporter.yaml")
with open(cfg, "w") as f:
    f.write(f'push:\n  url: "{influx.url}"\n  database: "{influx.database}"\n  interval: 1\n')
    if measurements:
        f.write(f"  measurements: [{', '.join(measurements)}]\n")
exp = Exporter(exporter_bin, work, f"test://{node}", ["--config", cfg])
try:
    wait_until(lambda: written(exp) > 0, 60, "the first push")
    time.sleep(2)  # past start-up (device cache filled, first XML parses)
    c0, w0, t0 = cpu_seconds(exp.pid), written(exp), time.monotonic()
    time.sleep(intervals)
    c1, w1, t1 = cpu_seconds(exp.pid), written(exp), time.monotonic()
    n = (t1 - t0) / 1.0
    print(json.dumps({"bench": "push_cpu", "domains": domains, "intervals": round(n, 1),
                      **({"measurements": measurements} if measurements else {}),
                      "cpu_seconds_per_interval": round((c1 - c0) / n, 4),
                      "lines_per_interval": round((w1 - w0) / n)}))
finally:
    exp.stop()
    influx.stop()
