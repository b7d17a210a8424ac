#!/usr/bin/env bash
# The real-guest part of the benchmark: K QEMU guests without an OS (64 MiB, 2 tap NICs of type
# 'ethernet' without an option ROM, 3 small qcow2 disks, a virtio balloon, libvirt's default CPU model;
# KVM when /dev/kvm works, else TCG; no libvirt network, no bridge, no address), then for each K on
# qemu:///system: bench/scrape_compare.py (us at libvirt.parallel 1, 2, 4, and 8 from 100 guests on, and
# Debian's Go exporter), the bare bulk call per stats group, bench/interval_compare.py (our push vs
# collectd, per interval), and at the largest K a perf profile of libvirtd during our split collection
# (bench/libvirtd_profile.py).
#   real_guests.sh EXPORTER BARE_STATS SOURCE_DIR [K ...]        (default: 10 30 100)
# Uses tests/integration/hypervisor/hypervisor.sh (install, up, down) with its own state dir; guests are
# vexp-bench-N with taps vxtbNn0/vxtbNn1, so `down` removes them, their disks and taps. Holds the host-wide
# lock of the hypervisor tier for the whole run (waiting for a test run that holds it) and always tears
# down (trap EXIT). JSON lines on stdout, progress on stderr.
set -euo pipefail
exporter=$1 bare=$2 src=$3
shift 3
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 30 100)
export HV_STATE_DIR=${BENCH_HV_STATE_DIR:-/tmp/virt-exporter-bench-hv}
hv=$src/tests/integration/hypervisor/hypervisor.sh
uri=qemu:///system
log() { echo "real_guests: $*" >&2; }

exec 9>"${HV_LOCK:-/run/lock/virt-exporter-hv.lock}"
log "waiting for the hypervisor lock"
flock -w 900 9 || { log "the hypervisor lock stayed busy for 900 s"; exit 1; }
trap '"$hv" down >&2 9>&- || log "teardown left something behind"' EXIT
"$hv" install >&2
"$hv" up >&2

guest_xml() {  # guest_xml N TYPE
  local n=$1 d disks="" nics=""
  for d in a b c; do
    disks+="<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    disks+="<source file='$HV_STATE_DIR/vexp-bench-$n-vd$d.qcow2'/><target dev='vd$d' bus='virtio'/></disk>"
  done
  for d in 0 1; do
    nics+="<interface type='ethernet'><target dev='vxtb${n}n$d'/><model type='virtio'/><rom enabled='no'/></interface>"
  done
  echo "<domain type='$2'><name>vexp-bench-$n</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os><on_poweroff>destroy</on_poweroff>
  <devices>$disks$nics<memballoon model='virtio'><stats period='5'/></memballoon></devices></domain>"
}

start_guest() {  # start_guest N TYPE: true when it runs
  local n=$1 d
  for d in a b c; do qemu-img create -q -f qcow2 "$HV_STATE_DIR/vexp-bench-$n-vd$d.qcow2" 16M; done
  guest_xml "$n" "$2" >"$HV_STATE_DIR/vexp-bench-$n.xml"
  virsh -q -c $uri define "$HV_STATE_DIR/vexp-bench-$n.xml" >/dev/null && virsh -q -c $uri start "vexp-bench-$n" >/dev/null
}

mkdir -p "$HV_STATE_DIR"
type=qemu
if [ -c /dev/kvm ] && start_guest 1 kvm 2>/dev/null && sleep 2 &&
  virsh -q -c $uri domstate vexp-bench-1 2>/dev/null | grep -q running; then
  type=kvm
else
  virsh -q -c $uri destroy vexp-bench-1 >/dev/null 2>&1 || true
  virsh -q -c $uri undefine vexp-bench-1 >/dev/null 2>&1 || true
  start_guest 1 qemu
fi
log "guests run with domain type '$type'"
started=1
libvirtd_pid=$(cat "$HV_STATE_DIR/libvirtd.pid" 2>/dev/null || pgrep -xo libvirtd || true)
for k in "${sizes[@]}"; do
  while [ $started -lt "$k" ]; do
    started=$((started + 1))
    start_guest $started $type
  done
  sleep 20  # let the QEMUs settle: SeaBIOS tries every disk and NIC, then idles
  log "$k guests running; measuring"
  label="real QEMU guests ($type)"
  parallel=1,2,4
  [ "$k" -lt 100 ] || parallel=1,2,4,8
  python3 "$src/bench/scrape_compare.py" "$exporter" "$bare" "$src" uri $uri --label "$label" \
    --domains "$k" --parallel $parallel ${libvirtd_pid:+--libvirtd-pid "$libvirtd_pid"} --rounds "${BENCH_ROUNDS:-7}"
  "$bare" $uri "${BENCH_ROUNDS:-7}" --by-group | sed "s/^{/{\"scenario\": \"$label\", \"domains\": $k, \"exporter\": \"bare bulk call per group\", /"
  log "$k guests: our push vs collectd, per interval"
  python3 "$src/bench/interval_compare.py" "$exporter" "$src" uri $uri --label "$label" --domains "$k" \
    ${libvirtd_pid:+--libvirtd-pid "$libvirtd_pid"}
done
if [ -n "$libvirtd_pid" ]; then
  log "${sizes[-1]} guests: perf of libvirtd during our collection"
  python3 "$src/bench/libvirtd_profile.py" "$exporter" $uri "$libvirtd_pid" --domains "${sizes[-1]}"
fi
