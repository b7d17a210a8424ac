#!/usr/bin/env bash
# Runs one check of the real-hypervisor tier: brings up libvirtd and two booted QEMU guests, runs the
# check (TAP on stdout), and tears everything down again, also when the check fails.
#   run.sh EXPORTER SOURCE_DIR once|prometheus|influx
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exporter=$1 src=$2 check=$3
export HV_STATE_DIR=${HV_STATE_DIR:-/tmp/virt-exporter-hv}

trap '"$here/hypervisor.sh" down >&2' EXIT
if ! { "$here/hypervisor.sh" install && "$here/hypervisor.sh" up && "$here/hypervisor.sh" guests 2; } >&2; then
  echo "not ok 1 - the hypervisor fixture comes up (libvirtd and 2 booted guests)"
  echo "1..1"
  exit 1
fi
case $check in
  once) python3 "$here/check_once_vs_domstats.py" "$exporter" qemu:///system ;;
  prometheus) python3 "$here/../prometheus_scrape.py" "$exporter" "$src" --uri qemu:///system ;;
  influx) python3 "$here/../influx_push.py" "$exporter" "$src" --uri qemu:///system ;;
  *) echo "usage: $0 EXPORTER SOURCE_DIR once|prometheus|influx" >&2; exit 2 ;;
esac
