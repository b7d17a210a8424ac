#!/usr/bin/env bash
# The real-hypervisor test fixture: libvirtd + QEMU guests that boot a tiny Linux, so every counter is
# real. Starts only what is not running, records what it started, and stops only that (by PID).
# Never starts a libvirt network or bridge; guest NICs are unconfigured taps (type='ethernet').
#
#   hypervisor.sh install      install the Debian packages that are missing
#   hypervisor.sh up           start virtlogd and libvirtd unless a libvirtd already answers
#   hypervisor.sh guests K     define and boot K guests vexp-test-1..K (TCG), wait until they report
#   hypervisor.sh down         remove every vexp-* guest, its disks, and the daemons `up` started
#
# State lives in $HV_STATE_DIR (default /tmp/virt-exporter-hv).
set -euo pipefail

STATE=${HV_STATE_DIR:-/tmp/virt-exporter-hv}
URI=qemu:///system
PKGS=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils busybox-static linux-image-cloud-amd64 cpio)
MODULES=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_balloon failover
  net_failover virtio_net virtio_blk)

log() { echo "hypervisor: $*" >&2; }
virsh_q() { virsh -q -c "$URI" "$@"; }
answers() { timeout 10 virsh -c "$URI" version >/dev/null 2>&1; }

cmd_install() {
  local missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@"; do
    [ $SECONDS -lt $deadline ] || { log "timed out waiting for $what"; return 1; }
    sleep 0.5
  done
}

start_daemon() {  # start_daemon NAME: runs it in the background, records its PID
  local name=$1
  "/usr/sbin/$name" --pid-file "$STATE/$name.pid" >"$STATE/$name.log" 2>&1 &
  echo $! >"$STATE/$name.started"
  log "started $name (pid $!)"
}

cmd_up() {
  mkdir -p "$STATE"
  if [ -e /dev/kvm ]; then chgrp kvm /dev/kvm 2>/dev/null || true; chmod 660 /dev/kvm || true; fi
  if answers; then
    log "using the libvirtd that is already running"
    return 0
  fi
  mkdir -p /run/libvirt
  pgrep -x virtlogd >/dev/null || start_daemon virtlogd
  start_daemon libvirtd
  wait_for 30 "libvirtd to answer on $URI" answers || { tail -20 "$STATE/libvirtd.log" >&2; return 1; }
}

build_initramfs() {
  local kver out=$STATE/initramfs.cpio.gz root=$STATE/initramfs
  [ -f "$out" ] && return 0
  kver=$(basename "$(ls -d /lib/modules/*-cloud-amd64 | sort -V | tail -1)")
  rm -rf "$root" && mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  for m in "${MODULES[@]}"; do
    local f
    f=$(find "/lib/modules/$kver" -name "$m.ko*" | head -1)
    [ -n "$f" ] || continue
    case $f in
      *.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;;
      *.zst) zstd -dqc "$f" >"$root/lib/modules/$m.ko" ;;
      *) cp "$f" "$root/lib/modules/$m.ko" ;;
    esac
  done
  cat >"$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in ${MODULES[*]}; do [ -f /lib/modules/\$m.ko ] && insmod /lib/modules/\$m.ko; done
sleep 1
for n in /sys/class/net/eth*; do ip link set "\$(basename \$n)" up; done
echo "vexp guest up"
while true; do
  for d in /dev/vda /dev/vdb /dev/vdc; do dd if=\$d of=/dev/null bs=64k count=8 iflag=direct 2>/dev/null; done
  dd if=/dev/zero of=/dev/vdc bs=4k count=4 seek=100 oflag=direct conv=notrunc 2>/dev/null
  sync; sleep 1
done
INIT
  chmod +x "$root/init"
  (cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1 >"$out")
  cp "/boot/vmlinuz-$kver" "$STATE/vmlinuz"
}

guest_xml() {  # guest_xml NAME INDEX
  local name=$1 i=$2 disks="" nics=""
  for d in a b c; do
    disks+="<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='$STATE/$name-vd$d.qcow2'/><target dev='vd$d' bus='virtio'/></disk>"
  done
  for n in 0 1; do
    nics+="<interface type='ethernet'><target dev='vxt${i}n${n}'/><model type='virtio'/><rom enabled='no'/></interface>"
  done
  cat <<XML
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>192</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>$STATE/vmlinuz</kernel>
    <initrd>$STATE/initramfs.cpio.gz</initrd><cmdline>console=ttyS0 quiet</cmdline></os>
  <on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash>
  <devices>
    $disks
    $nics
    <serial type='file'><source path='$STATE/$name.console'/><target port='0'/></serial>
    <memballoon model='virtio'><stats period='2'/></memballoon>
  </devices>
</domain>
XML
}

booted() { virsh_q domstats --balloon "$1" 2>/dev/null | grep -q "balloon.available="; }

cmd_guests() {
  local k=${1:-2}
  mkdir -p "$STATE"
  build_initramfs
  for i in $(seq 1 "$k"); do
    local name=vexp-test-$i
    for d in a b c; do qemu-img create -q -f qcow2 "$STATE/$name-vd$d.qcow2" 32M; done
    guest_xml "$name" "$i" >"$STATE/$name.xml"
    virsh_q define "$STATE/$name.xml" >/dev/null
    virsh_q start "$name" >/dev/null
  done
  for i in $(seq 1 "$k"); do
    wait_for 120 "vexp-test-$i to boot" booted "vexp-test-$i" ||
      { tail -5 "$STATE/vexp-test-$i.console" >&2 || true; return 1; }
  done
  log "$k guests running"
}

stop_started() {  # stop_started NAME: SIGTERM the daemon we started, SIGKILL after 10 s
  local f=$STATE/$1.started pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
  log "stopped $1 (pid $pid)"
}

cmd_down() {
  if answers; then
    for dom in $(virsh_q list --all --name | grep '^vexp' || true); do
      virsh_q destroy "$dom" >/dev/null 2>&1 || true
      virsh_q undefine "$dom" >/dev/null 2>&1 || true
    done
  fi
  stop_started libvirtd
  stop_started virtlogd
  for tap in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | grep '^vxt' || true); do
    ip link delete "${tap%@*}" 2>/dev/null || true
  done
  rm -rf "$STATE"
}

case "${1:-}" in
  install) cmd_install ;;
  up) cmd_up ;;
  guests) cmd_guests "${2:-2}" ;;
  down) cmd_down ;;
  *) echo "usage: $0 install|up|guests K|down" >&2; exit 2 ;;
esac
