#!/usr/bin/env bash
# Builds a release build and runs the benchmarks, printing one JSON line per measurement.
# Needs Debian's influxdb (installed by tools/install-deps test). Takes about a minute.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/install-deps" test
[ -f "$root/build-bench/build.ninja" ] || meson setup "$root/build-bench" "$root" --buildtype=release -Dtests=false >/dev/null
ninja -C "$root/build-bench" >/dev/null
echo "# push: encoding, in process (bench/push_bench.cpp)"
"$root/build-bench/bench/push_bench"
echo "# push: exporter CPU per interval, 1000 test-driver domains, pushing to InfluxDB 1.6 (bench/push_cpu.py)"
python3 "$root/bench/push_cpu.py" "$root/build-bench/src/virt-exporter" "$root" 1000 10
