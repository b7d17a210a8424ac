#!/usr/bin/env bash
# The whole benchmark in one command: installs what is missing, builds a release build (build-bench/),
# runs every part and prints the Markdown tables of bench/README.md (the raw JSON lines are kept in
# build-bench/bench-results.jsonl). About 23 minutes on the project's 2-core VM (2026-12-07: 1385 s).
#   bench/run.sh [--no-guests]        --no-guests leaves out the real QEMU guests (no root, no KVM/TCG)
# Parts: /metrics rendering alone (render_bench); push encoding and push CPU (push_bench, push_cpu.py);
# scrapes of virt-exporter (libvirt.parallel 1, 2, 4) vs Debian's prometheus-libvirt-exporter and the bare
# libvirt calls (bare_stats) on the test driver in process (1000 domains) and over RPC from a private
# libvirtd (100, 1000, 5000), and on 10, 30 and 100 real QEMU guests (real_guests.sh, under the hypervisor
# tier's host-wide lock, always torn down); per collection interval, our push vs collectd 5.12
# (interval_compare.py) on the test driver and on the guests; a perf profile of libvirtd at 100 guests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
guests=1
[ "${1:-}" = --no-guests ] && guests=0
start=$SECONDS
log() { echo "bench: $* ($((SECONDS - start)) s)" >&2; }

"$root/tools/install-deps" bench >&2
[ -f "$root/build-bench/build.ninja" ] ||
  meson setup "$root/build-bench" "$root" --buildtype=release -Dtests=false >/dev/null
ninja -C "$root/build-bench" >/dev/null
b=$root/build-bench
results=$b/bench-results.jsonl
: >"$results"
run() { "$@" | tee -a "$results" >&2; }

log "rendering (render_bench)"
run "$b/bench/render_bench"
log "push encoding (push_bench)"
run "$b/bench/push_bench"
log "push CPU per interval, 1000 test-driver domains to InfluxDB 1.6 (push_cpu.py)"
run python3 "$root/bench/push_cpu.py" "$b/src/virt-exporter" "$root" 1000 10
log "scrapes on the test driver, in process and over RPC (scrape_compare.py)"
run python3 "$root/bench/scrape_compare.py" "$b/src/virt-exporter" "$b/bench/bare_stats" "$root" testdriver
log "our push vs collectd per interval, 1000 test-driver domains in process (interval_compare.py)"
run python3 "$root/bench/interval_compare.py" "$b/src/virt-exporter" "$root" testdriver --domains 1000
if [ $guests = 1 ]; then
  log "scrapes on real QEMU guests (real_guests.sh)"
  run "$root/bench/real_guests.sh" "$b/src/virt-exporter" "$b/bench/bare_stats" "$root" 10 30 100
fi
log "done"
default=$(sed -n 's/^  parallel: \([0-9]*\).*/\1/p' "$root/config/exporter.yaml")
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'))," \
  "$(free -g | awk '/^Mem/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME"), libvirt" \
  "$(virsh --version), in $((SECONDS - start)) s."
echo
python3 "$root/bench/table.py" "$results" "${default:-1}"
