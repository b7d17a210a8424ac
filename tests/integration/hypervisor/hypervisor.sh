#!/usr/bin/env bash
# The real-hypervisor test fixture: libvirtd + QEMU guests that boot a tiny Linux, so every counter is
# real. Starts only what is not running, records what it started, and stops only that (by PID).
# Never starts a libvirt network or bridge; guest NICs are unconfigured taps (type='ethernet').
#
#   hypervisor.sh install      install the Debian packages that are missing
#   hypervisor.sh up           start virtlogd and libvirtd unless a libvirtd already answers
#   hypervisor.sh guests K     define and boot K guests vexp-test-1..K, plus one with a hostile name
#                              (HV_HOSTILE=0 leaves it out), and wait until each reports balloon stats
#   hypervisor.sh guest KEY NAME [--user-nic] [--backing] [--no-start] [--agent=run|none|frozen]
#                              one guest: disks vexp-KEY-vd{a,b,c}.qcow2, taps vxtKEYn{0,1} (KEY: 1-4
#                              chars, [a-z0-9]); --user-nic adds a third NIC of type 'user', --backing
#                              puts vda on a backing image, --no-start only defines it (stays shut off);
#                              --agent adds the guest agent's virtio-serial channel (org.qemu.guest_agent.0)
#                              and an ext4 vdb the guest mounts on /mnt/data, and runs qemu-ga in the
#                              guest (run), does not (none), or runs it and SIGSTOPs it at once (frozen)
#   hypervisor.sh pool NAME    define, build and start a `dir` storage pool vexp-NAME with its target in
#                              $STATE/pool-NAME and a 1 MiB file in it (`down` removes every vexp-* pool)
#   hypervisor.sh stop-libvirtd  stop the libvirtd `up` started (guests keep running; `up` starts it again)
#   hypervisor.sh down         remove every vexp-* guest, its disks, taps and QEMU logs, and the daemons `up`
#                              started
#
# State lives in $HV_STATE_DIR (default /tmp/virt-exporter-hv). Guests run under TCG (<domain type='qemu'>):
# nested KVM hangs this kernel early, and TCG works everywhere. Each guest carries Nova metadata (project
# vexp, its name as the instance name), as on an OpenStack compute node, for the dashboards' project pickers.
set -euo pipefail

STATE=${HV_STATE_DIR:-/tmp/virt-exporter-hv}
URI=qemu:///system
MODULES=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_balloon failover
  net_failover virtio_net virtio_blk virtio_console)
# Spaces, both quotes, comma, '=', backslash, non-ASCII: libvirt accepts all of them ('/' and control
# characters such as a newline it refuses). Starts with vexp- so that `down` and the checks find it.
HOSTILE_NAME="vexp-hostile \"q\" 'a',b=c\\d ü"
BOOT_WAIT=${HV_BOOT_WAIT:-60}

log() { echo "hypervisor: $*" >&2; }
virsh_q() { virsh -q -c "$URI" "$@"; }
answers() { timeout 10 virsh -c "$URI" version >/dev/null 2>&1; }

cmd_install() {  # the package list is tools/install-deps' (hypervisor)
  "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/tools/install-deps" hypervisor >&2
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
  "/usr/sbin/$name" --pid-file "$STATE/$name.pid" >"$STATE/$name.log" 2>&1 9>&- &  # not run.sh's lock
  echo $! >"$STATE/$name.started"
  log "started $name (pid $!)"
}

ours() {  # ours NAME PID: PID is a daemon `up` started (its command line names our pid file)
  tr '\0' ' ' <"/proc/$2/cmdline" 2>/dev/null | grep -qF -- "--pid-file $STATE/$1.pid"
}

socket_answers() {  # socket_answers PATH: something accepts connections on this unix socket
  [ -S "$1" ] || return 1
  command -v python3 >/dev/null || return 0
  python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1])' "$1" \
    2>/dev/null
}

system_libvirtd() {  # PIDs of libvirtds of this root (uid 0, same /) that are not ours
  local pid
  for pid in $(pgrep -x libvirtd || true); do
    [ "$(stat -c %u "/proc/$pid" 2>/dev/null)" = 0 ] || continue          # a session libvirtd (tests)
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = / ] || continue       # one inside a chroot
    ours libvirtd "$pid" || echo "$pid"
  done
}

cmd_up() {
  mkdir -p "$STATE"
  # /dev/kvm for root only, or of another group: let the kvm group (QEMU's) use it. These guests run TCG
  # anyway, but libvirt probes QEMU with KVM as root and then finds KVM unusable for QEMU's user, judges its
  # capabilities cache stale and probes again, for about a minute per guest start.
  if [ -c /dev/kvm ] && { [ "$(stat -c %G /dev/kvm)" != kvm ] || [ $((0$(stat -c %a /dev/kvm) & 060)) != 48 ]; }; then
    chgrp kvm /dev/kvm && chmod 660 /dev/kvm && log "made /dev/kvm usable by group kvm"
  fi
  if answers; then
    if [ -f "$STATE/libvirtd.started" ] && ours libvirtd "$(cat "$STATE/libvirtd.started")"; then
      log "libvirtd started by an earlier 'up' answers (pid $(cat "$STATE/libvirtd.started"); 'down' stops it)"
    else
      log "using the libvirtd that is already running (not started here, will not be stopped)"
    fi
    return 0
  fi
  local other
  other=$(system_libvirtd | tr '\n' ' ')
  if [ -n "$other" ]; then
    log "a libvirtd is running (pid $other) but does not answer on $URI within 10 s; not starting a second one"
    return 1
  fi
  # The first libvirtd of a boot autostarts networks (the 'default' NAT bridge) and domains; a driver
  # skips that when its state dir holds an 'autostarted' marker. Create the missing ones, and remove
  # only those in `down`: this fixture never starts a network, a bridge, or someone else's guest.
  local d
  for d in network qemu lxc storage nwfilter; do
    mkdir -p "/run/libvirt/$d"
    if [ ! -e "/run/libvirt/$d/autostarted" ]; then
      touch "/run/libvirt/$d/autostarted" && echo "/run/libvirt/$d/autostarted" >>"$STATE/markers"
    fi
  done
  # QEMU's console and log go through virtlogd's socket; a virtlogd elsewhere (a session one of a test's
  # private libvirtd, one in a chroot) does not count.
  if socket_answers /run/libvirt/virtlogd-sock; then
    log "virtlogd answers on /run/libvirt/virtlogd-sock (not started here)"
  else
    start_daemon virtlogd
    wait_for 15 "virtlogd to listen on /run/libvirt/virtlogd-sock" socket_answers /run/libvirt/virtlogd-sock || {
      tail -20 "$STATE/virtlogd.log" >&2; return 1; }
  fi
  start_daemon libvirtd
  wait_for 30 "libvirtd to answer on $URI" answers || {
    log "libvirtd (pid $(cat "$STATE/libvirtd.started")) did not answer within 30 s; its log:"
    tail -20 "$STATE/libvirtd.log" >&2; return 1; }
  log "libvirtd answers on $URI ($(virsh -c "$URI" version 2>/dev/null | grep -E '^(Using library|Running hypervisor)' |
    sed 's/.*: //' | tr '\n' ' '))"
}

kernel_version() {  # the newest cloud kernel with both modules and an image in /boot
  local d v found=""
  for d in $(ls -d /lib/modules/*-cloud-amd64 2>/dev/null | sort -V); do
    v=$(basename "$d")
    [ -f "/boot/vmlinuz-$v" ] && found=$v
  done
  [ -n "$found" ] || { log "no cloud kernel (/boot/vmlinuz-*-cloud-amd64 with /lib/modules); run 'install'"; return 1; }
  echo "$found"
}

build_initramfs() {  # once per state dir: $STATE/vmlinuz and $STATE/initramfs.cpio.gz
  local kver out=$STATE/initramfs.cpio.gz root=$STATE/initramfs m f
  [ -f "$out" ] && [ -f "$STATE/vmlinuz" ] && return 0
  kver=$(kernel_version)
  rm -rf "$root" && mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  # qemu-ga (Debian's qemu-guest-agent) and the libraries ldd names, at the same paths, for --agent guests.
  mkdir -p "$root/usr/sbin" "$root/tmp"
  cp /usr/sbin/qemu-ga "$root/usr/sbin/qemu-ga"
  for f in $(ldd /usr/sbin/qemu-ga | grep -o '/[^ ]*'); do mkdir -p "$root$(dirname "$f")" && cp -L "$f" "$root$f"; done
  # The guest's insmod takes plain .ko files: decompress those the kernel package ships compressed.
  # A module that is not found is built into the kernel (the script skips it in the guest too).
  for m in "${MODULES[@]}"; do
    f=$(find "/lib/modules/$kver/kernel" -name "$m.ko*" | head -1)
    [ -n "$f" ] || continue
    case $f in
      *.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;;
      *.zst) zstd -dqc "$f" >"$root/lib/modules/$m.ko" ;;
      *.gz) gzip -dc "$f" >"$root/lib/modules/$m.ko" ;;
      *) cp "$f" "$root/lib/modules/$m.ko" ;;
    esac
  done
  # /init: the virtio drivers in dependency order, every NIC up without an address (IPv6 link-local
  # traffic alone moves rx/tx), then read all disks (O_DIRECT, so every read reaches QEMU) and write a
  # little to vdc, once a second.
  cat >"$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in ${MODULES[*]}; do [ -f /lib/modules/\$m.ko ] && insmod /lib/modules/\$m.ko; done
sleep 1
for n in /sys/class/net/eth*; do [ -e "\$n" ] && ip link set "\$(basename \$n)" up; done
agent=\$(sed -n 's/.*vexp_agent=\([a-z]*\).*/\1/p' /proc/cmdline)
if [ -n "\$agent" ]; then
  mkdir -p /mnt/data && mount -t ext4 /dev/vdb /mnt/data && echo "vexp data mounted"
  port=\$(ls /dev/vport*p1 2>/dev/null | head -1)
  if [ "\$agent" != none ] && [ -n "\$port" ]; then
    /usr/sbin/qemu-ga -m virtio-serial -p "\$port" -f /tmp/qga.pid -t /tmp &
    echo "vexp qemu-ga started on \$port (pid \$!)"
    if [ "\$agent" = frozen ]; then sleep 2; kill -STOP \$! && echo "vexp qemu-ga frozen"; fi
  fi
fi
echo "vexp guest up"
while true; do
  for d in /dev/vda /dev/vdb /dev/vdc; do dd if=\$d of=/dev/null bs=64k count=8 iflag=direct 2>/dev/null; done
  dd if=/dev/zero of=/dev/vdc bs=4k count=4 seek=100 oflag=direct conv=notrunc 2>/dev/null
  sync; sleep 1
done
INIT
  chmod +x "$root/init"
  (cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1 >"$out.tmp") && mv "$out.tmp" "$out"
  cp "/boot/vmlinuz-$kver" "$STATE/vmlinuz"
  log "initramfs built for kernel $kver ($(ls "$root/lib/modules" | wc -l) modules)"
}

xml_text() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }

# no_timer_check: under TCG on a loaded host the kernel's check that the IO-APIC timer ticks can fail and
# panic the guest at boot ("IO-APIC + timer doesn't work!"); the check proves nothing about a virtual timer.
guest_xml() {  # guest_xml NAME KEY USER_NIC BACKING AGENT
  local name=$1 key=$2 user_nic=$3 backing=$4 agent=$5 disks="" nics="" channel="" cmdline="" d n
  for d in a b c; do
    disks+="
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$STATE/vexp-$key-vd$d.qcow2'/>"
    if [ "$backing" = 1 ] && [ $d = a ]; then
      disks+="<backingStore type='file'><format type='qcow2'/><source file='$STATE/vexp-$key-base.qcow2'/><backingStore/></backingStore>"
    fi
    disks+="<target dev='vd$d' bus='virtio'/></disk>"
  done
  for n in 0 1; do
    nics+="
    <interface type='ethernet'><target dev='vxt${key}n${n}'/><model type='virtio'/><rom enabled='no'/></interface>"
  done
  if [ "$user_nic" = 1 ]; then
    nics+="
    <interface type='user'><model type='virtio'/><rom enabled='no'/></interface>"
  fi
  if [ -n "$agent" ]; then
    channel="
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
    cmdline=" vexp_agent=$agent"
  fi
  cat <<XML
<domain type='qemu'>
  <name>$(xml_text "$name")</name>
  <memory unit='MiB'>192</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>$STATE/vmlinuz</kernel>
    <initrd>$STATE/initramfs.cpio.gz</initrd><cmdline>console=ttyS0 quiet no_timer_check$cmdline</cmdline></os>
  <features><acpi/><apic/></features>
  <on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash>
  <metadata>
    <nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>
      <nova:name>$(xml_text "$name")</nova:name><nova:flavor name='vexp.tiny'/>
      <nova:owner><nova:user uuid='0c1a7e5e2b8d4f0a9e3c6b1d2f4a5e6c'>ci</nova:user>
        <nova:project uuid='7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a'>vexp</nova:project></nova:owner>
    </nova:instance>
  </metadata>
  <devices>$disks$nics$channel
    <serial type='file'><source path='$STATE/vexp-$key.console'/><target port='0'/></serial>
    <memballoon model='virtio'><stats period='2'/></memballoon>
  </devices>
</domain>
XML
}

booted() { virsh_q domstats --balloon "$1" 2>/dev/null | grep -q "balloon.available="; }

remove_domain() {  # remove_domain NAME: destroy + undefine, whatever state it is in
  virsh_q destroy "$1" >/dev/null 2>&1 || true
  virsh_q undefine "$1" >/dev/null 2>&1 || true
}

define_guest() {  # define_guest KEY NAME [--user-nic] [--backing] [--no-start]
  local key=$1 name=$2 user_nic=0 backing=0 start=1 agent="" d
  shift 2
  for a in "$@"; do
    case $a in
      --user-nic) user_nic=1 ;; --backing) backing=1 ;; --no-start) start=0 ;;
      --agent=run | --agent=none | --agent=frozen) agent=${a#--agent=} ;;
      *) log "unknown option $a"; return 2 ;;
    esac
  done
  [[ $key =~ ^[a-z0-9]{1,4}$ ]] || { log "guest key '$key': 1-4 characters a-z0-9 (it names the taps)"; return 2; }
  [[ $name == vexp-* ]] || { log "guest name '$name' must start with vexp- ('down' removes those)"; return 2; }
  mkdir -p "$STATE"
  build_initramfs
  remove_domain "$name"  # a leftover of a crashed run
  if [ $backing = 1 ]; then
    qemu-img create -q -f qcow2 "$STATE/vexp-$key-base.qcow2" 32M
    qemu-img create -q -f qcow2 -b "$STATE/vexp-$key-base.qcow2" -F qcow2 "$STATE/vexp-$key-vda.qcow2"
  else
    qemu-img create -q -f qcow2 "$STATE/vexp-$key-vda.qcow2" 32M
  fi
  for d in b c; do qemu-img create -q -f qcow2 "$STATE/vexp-$key-vd$d.qcow2" 32M; done
  if [ -n "$agent" ]; then  # vdb: an ext4 filesystem for the agent to report
    rm -f "$STATE/vexp-$key-vdb.qcow2"
    mkfs.ext4 -q -F -L vexp-data "$STATE/vexp-$key-vdb.raw" 32M
    qemu-img convert -f raw -O qcow2 "$STATE/vexp-$key-vdb.raw" "$STATE/vexp-$key-vdb.qcow2"
    rm -f "$STATE/vexp-$key-vdb.raw"
  fi
  guest_xml "$name" "$key" $user_nic $backing "$agent" >"$STATE/vexp-$key.xml"
  virsh_q define "$STATE/vexp-$key.xml" >/dev/null
  if [ $start = 1 ]; then virsh_q start "$name" >/dev/null; fi
}

wait_booted() {  # wait_booted KEY NAME
  wait_for "$BOOT_WAIT" "$2 to boot (balloon.available in domstats)" booted "$2" || {
    log "$2 did not boot within $BOOT_WAIT s; the tail of its console ($STATE/vexp-$1.console):"
    tail -15 "$STATE/vexp-$1.console" >&2 || true
    return 1; }
}

cmd_guest() {  # one guest, see the usage above
  [ $# -ge 2 ] || { log "usage: guest KEY NAME [--user-nic] [--backing] [--no-start]"; return 2; }
  define_guest "$@"
  case " $* " in *" --no-start "*) log "$2 defined (shut off)" ;; *) wait_booted "$1" "$2" && log "$2 running" ;; esac
}

cmd_guests() {
  local k=${1:-2} i keys=() names=()
  [[ $k =~ ^[0-9]+$ ]] && [ "$k" -le 999 ] || { log "guests K: K is a number up to 999"; return 2; }
  for i in $(seq 1 "$k"); do keys+=("$i"); names+=("vexp-test-$i"); done
  if [ "${HV_HOSTILE:-1}" = 1 ]; then keys+=(h); names+=("$HOSTILE_NAME"); fi
  for i in "${!keys[@]}"; do define_guest "${keys[$i]}" "${names[$i]}"; done
  for i in "${!keys[@]}"; do wait_booted "${keys[$i]}" "${names[$i]}"; done
  log "${#keys[@]} guests running: ${names[*]}"
}

stop_started() {  # stop_started NAME: SIGTERM the daemon `up` started, SIGKILL after 10 s
  # Its PID as recorded at start, and the one it wrote to its --pid-file; each is checked to be ours
  # (its command line names our pid file), so a recycled PID is never signalled.
  local pid pids=""
  [ -f "$STATE/$1.started" ] || return 0
  for pid in $(cat "$STATE/$1.started" "$STATE/$1.pid" 2>/dev/null | sort -u); do
    ours "$1" "$pid" && pids+=" $pid"
  done
  for pid in $pids; do
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 10); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      log "killed $1 (pid $pid)"
    else
      log "stopped $1 (pid $pid)"
    fi
  done
  rm -f "$STATE/$1.started"
}

kill_orphan_guests() {  # QEMU processes of vexp-* guests whose libvirtd died, found by libvirt's pid files
  local f pid
  for f in /run/libvirt/qemu/vexp-*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null || true)
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "guest=vexp-"; then
      kill -KILL "$pid" 2>/dev/null && log "killed the orphaned QEMU of $(basename "$f" .pid) (pid $pid)"
    fi
    rm -f "$f" "${f%.pid}.xml"
  done
}

vxt_taps() { ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep '^vxt' || true; }

cmd_pool() {  # cmd_pool NAME: a real dir pool, read by the exporter with read-only calls only
  local name=vexp-$1 dir=$STATE/pool-$1
  remove_pool "$name"
  mkdir -p "$dir"
  virsh_q pool-define-as "$name" dir --target "$dir" >/dev/null
  virsh_q pool-build "$name" >/dev/null
  virsh_q pool-start "$name" >/dev/null
  head -c 1048576 /dev/urandom >"$dir/payload.img"
  virsh_q pool-refresh "$name" >/dev/null  # the fixture refreshes (read-write); the exporter never does
  log "pool $name up in $dir"
}

remove_pool() {  # remove_pool NAME: destroy + undefine, whatever state it is in
  virsh_q pool-destroy "$1" >/dev/null 2>&1 || true
  virsh_q pool-undefine "$1" >/dev/null 2>&1 || true
}

cmd_down() {
  local dom pool tap left failed=0
  if answers; then
    while IFS= read -r pool; do
      pool=${pool%"${pool##*[![:space:]]}"}  # pool-list --name pads each name with spaces
      [[ $pool == vexp-* ]] && remove_pool "$pool"
    done < <(virsh_q pool-list --all --name 2>/dev/null || true)
    left=$(virsh_q pool-list --all --name 2>/dev/null | grep '^vexp-' || true)
    [ -z "$left" ] || { log "storage pools left behind: $left"; failed=1; }
    while IFS= read -r dom; do
      [[ $dom == vexp-* ]] && remove_domain "$dom"
    done < <(virsh_q list --all --name 2>/dev/null || true)
    left=$(virsh_q list --all --name 2>/dev/null | grep '^vexp-' || true)
    [ -z "$left" ] || { log "domains left behind: $left"; failed=1; }
  else
    # No libvirtd: a crashed run may have left definitions that would come back with the next one.
    rm -f /etc/libvirt/qemu/vexp-*.xml /etc/libvirt/storage/vexp-*.xml /etc/libvirt/storage/autostart/vexp-*.xml \
      /run/libvirt/storage/vexp-*.xml
  fi
  stop_started libvirtd
  kill_orphan_guests
  stop_started virtlogd
  if [ -f "$STATE/markers" ]; then xargs -r -d '\n' rm -f <"$STATE/markers"; fi
  for tap in $(vxt_taps); do ip link delete "$tap" 2>/dev/null || true; done
  rm -rf "$STATE"
  # QEMU's console log of each guest, which virtlogd keeps (and appends to) after the domain is gone.
  rm -f /var/log/libvirt/qemu/vexp-*.log /var/log/libvirt/qemu/vexp-*.log.[0-9]*
  left=$(vxt_taps)
  if [ -n "$left" ]; then log "tap devices left behind: $left"; failed=1; fi
  [ $failed = 0 ] || return 1
  log "down: no vexp guest, vexp pool, vxt tap or daemon of ours left"
}

case "${1:-}" in
  install) cmd_install ;;
  up) cmd_up ;;
  guests) cmd_guests "${2:-2}" ;;
  guest) shift; cmd_guest "$@" ;;
  pool) cmd_pool "${2:?pool NAME}" ;;
  stop-libvirtd) stop_started libvirtd ;;
  down) cmd_down ;;
  *) echo "usage: $0 install|up|guests K|guest KEY NAME [--user-nic] [--backing] [--no-start]|pool NAME|stop-libvirtd|down" >&2
    exit 2 ;;
esac
