#!/usr/bin/env bash
# Records `virsh domstats --raw` stats records from real QEMU guests of the fixture into OUT_DIR
# (default: a new temp dir; tests/fixtures/stats/ holds the committed ones, see its README).
# Brings the fixture up, waits WAIT seconds (default 20) so that counters have moved, records, and
# tears it down again (trap on EXIT). Takes the same host-wide lock as run.sh.
#   record_fixtures.sh [OUT_DIR] [WAIT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(mktemp -d /tmp/vexp-stats-XXXXXX)}
wait=${2:-20}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export HV_STATE_DIR=${HV_STATE_DIR:-/tmp/virt-exporter-hv}
hv=$here/hypervisor.sh
exec 9>"${HV_LOCK:-/run/lock/virt-exporter-hv.lock}"
flock -w 540 9
trap '"$hv" down >&2' EXIT

DEFAULT=(--state --cpu-total --balloon --vcpu --interface --block)  # the exporter's default groups
v() { virsh -q -c qemu:///system "$@"; }
record() {  # record FILE DOMAIN [GROUPS...]: virsh's text, without the trailing empty line
  local file=$1 dom=$2
  shift 2
  v domstats --raw "$@" "$dom" | sed -e '${/^$/d}' >"$out/$file"
  echo "recorded $out/$file" >&2
}

"$hv" install
"$hv" up
HV_HOSTILE=1 "$hv" guests 2
"$hv" guest u vexp-test-u --user-nic
"$hv" guest b vexp-test-b --backing
"$hv" guest off vexp-test-off --no-start
sleep "$wait"
v suspend vexp-test-2 >/dev/null
sleep 3

record qemu_tcg_guest.txt vexp-test-1  # no group flags: virsh asks for every group
record qemu_paused.txt vexp-test-2
record qemu_shutoff.txt vexp-test-off "${DEFAULT[@]}"
record qemu_user_nic.txt vexp-test-u "${DEFAULT[@]}"
record qemu_hostile_name.txt "vexp-hostile \"q\" 'a',b=c\\d ü" "${DEFAULT[@]}"
record qemu_backing.txt vexp-test-b --block --backing
{
  echo "libvirt $(dpkg-query -W -f='${Version}' libvirt-daemon), QEMU $(dpkg-query -W -f='${Version}' qemu-system-x86)"
  echo "kernel $(basename "$(readlink -f "$HV_STATE_DIR/vmlinuz")") $(file -b "$HV_STATE_DIR/vmlinuz" 2>/dev/null |
    grep -o 'version [^ ]*' || true)"
} >"$out/versions.txt"
echo "$out"
