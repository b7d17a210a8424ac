#!/usr/bin/env bash
# One check of the real-hypervisor tier: installs what is missing, brings up libvirtd and booted QEMU
# guests, runs the check (TAP on stdout), and tears everything down again — also when the check fails or
# the run is interrupted (trap on EXIT). Diagnostics go to stderr; the last line on stdout is a TAP
# comment `# hypervisor tier (CHECK): PASS|FAIL ...`, and the exit status is non-zero on failure
# (including a teardown that left something behind).
#   run.sh EXPORTER [SOURCE_DIR] [once|prometheus|influx|lifecycle|filters|pools|jobs|guest_agent|placement]     (default: once)
#
# Guests: vexp-test-1, vexp-test-2 and one with a hostile name (hypervisor.sh guests 2); for `once` also
# vexp-test-2 paused and a defined, never started vexp-off, so all three states are compared; for
# `lifecycle` and `filters` vexp-off too (check_lifecycle.py pauses, hot-plugs, destroys and restarts libvirtd
# itself; domain_filters.py leaves the shut-off guest out with libvirt.inactive false).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: $0 EXPORTER [SOURCE_DIR] [once|prometheus|influx|lifecycle|filters|pools|jobs|guest_agent|placement]"
exporter=$(realpath "${1:?$usage}")
src=${2:-$(cd "$here/../../.." && pwd)}
check=${3:-once}
case $check in once | prometheus | influx | lifecycle | filters | pools | jobs | guest_agent | placement) ;; *) echo "$usage" >&2; exit 2 ;; esac
[ -x "$exporter" ] || { echo "run.sh: $exporter is not an executable" >&2; exit 2; }
export HV_STATE_DIR=${HV_STATE_DIR:-/tmp/virt-exporter-hv}
hv=$here/hypervisor.sh
export PYTHONPATH=$here/..${PYTHONPATH:+:$PYTHONPATH}  # tap.py, fixtures.py

# Guest names, taps and the libvirtd are host-wide: two runs at once (two clones, or a run by hand during
# `meson test`) would tear down each other's guests. Serialize whole runs with a host-wide lock.
lock=${HV_LOCK:-/run/lock/virt-exporter-hv.lock}
exec 9>"$lock"
if ! flock -w 540 9; then
  echo "not ok 1 - another real-hypervisor run holds $lock (waited 540 s)"
  echo "1..1"
  echo "# hypervisor tier ($check): FAIL (lock busy)"
  exit 1
fi

start=$SECONDS
result=1 what="fixture did not come up"
finish() {
  local rc=$result teardown=ok
  "$hv" down >&2 || { teardown="FAILED (see stderr)"; rc=1; }
  echo "# hypervisor tier ($check): $([ $rc = 0 ] && echo PASS || echo FAIL) - $what; teardown $teardown;" \
    "$((SECONDS - start)) s"
  exit $rc
}
trap finish EXIT
trap 'result=130 what="interrupted"; exit 130' INT TERM  # the EXIT trap still tears down

if ! { "$hv" install && "$hv" up && "$hv" guests 2; } >&2; then
  echo "not ok 1 - the hypervisor fixture comes up (libvirtd and booted guests; see stderr)"
  echo "1..1"
  exit 1
fi
# once and lifecycle also need a defined, never started domain; once compares a paused guest too.
extra_ok=true
case $check in
  once) { "$hv" guest off vexp-off --no-start && virsh -q -c qemu:///system suspend vexp-test-2 >/dev/null; } >&2 ||
    extra_ok=false ;;
  lifecycle | filters) "$hv" guest off vexp-off --no-start >&2 || extra_ok=false ;;
  pools) "$hv" pool images >&2 || extra_ok=false ;;
  guest_agent) { "$hv" guest ga vexp-ga --agent=run && "$hv" guest gan vexp-ga-none --agent=none &&
    "$hv" guest gaf vexp-ga-frozen --agent=frozen; } >&2 || extra_ok=false ;;
  placement) { virsh -q -c qemu:///system vcpupin vexp-test-1 0 0 >/dev/null &&
    virsh -q -c qemu:///system blkdeviotune vexp-test-1 vda --total-bytes-sec 10485760 --read-iops-sec 200; } >&2 ||
    extra_ok=false ;;
esac
if ! $extra_ok; then
  echo "not ok 1 - the check's extra fixture: a shut-off guest (once: and a paused one; pools: a dir pool; placement: a pin and a limit; guest_agent: guests with a running, an absent and a frozen agent) (see stderr)"
  echo "1..1"
  exit 1
fi
echo "run.sh: fixture up in $((SECONDS - start)) s" >&2
case $check in
  once) python3 "$here/check_once_vs_domstats.py" "$exporter" qemu:///system ;;
  prometheus) python3 "$here/../prometheus_scrape.py" "$exporter" "$src" --uri qemu:///system ;;
  influx) python3 "$here/../influx_push.py" "$exporter" "$src" --uri qemu:///system ;;
  lifecycle) python3 "$here/check_lifecycle.py" "$exporter" "$hv" ;;
  filters) python3 "$here/../domain_filters.py" "$exporter" "$src" --uri qemu:///system ;;
  pools) python3 "$here/../storage_pools.py" "$exporter" "$src" --uri qemu:///system --pool vexp-images \
    --pool-dir "$HV_STATE_DIR/pool-images" ;;
  jobs) python3 "$here/check_jobs.py" "$exporter" "$src" ;;
  guest_agent) python3 "$here/check_guest_agent.py" "$exporter" "$src" ;;
  placement) python3 "$here/check_placement.py" "$exporter" "$src" ;;
esac
result=$?
what="check exited $result"
