#!/usr/bin/env bash
# The fresh-root suite: proves that tools/install-deps names every package the README's two commands, the
# tests and the .deb need, on a minimal Debian 12 root made by debootstrap, where nothing installed by
# hand on this machine can hide a missing one. TAP on stdout, one check a step; a failed step prints the
# tail of its log as TAP comments and ends the run.
#   fresh_root.sh [SOURCE_DIR]
#
# Root A (a clean export of the tree in /src): `tools/run-demo --once` must print the demo node's five
# domains; then `tools/install-deps test`, the build with tests, the unit suite, the `once on the test
# driver` integration script, and `tools/build-deb` (lintian clean of errors).
# Root B (bare again): `apt-get install ./virt-exporter_*.deb`, --check-config of the installed
# configuration, /usr/bin/virt-exporter serving the demo node, a scrape of /metrics from outside, and
# `apt-get purge`, after which no path of the package's file list may be left.
#
# The bare debootstrap result is cached as a tarball in $VIRT_EXPORTER_FRESH_CACHE (default
# /var/cache/virt-exporter/fresh-root) and reused while it is less than a week old; every root is
# unpacked from it anew, so no install ever runs in the cache. Packages come from this machine's apt
# sources (the root gets its sources and apt.conf.d), as they would on a new machine on this network.
# Needs root (debootstrap, chroot, mounts). Roots live under /var/tmp and are removed, their /proc, /sys
# and /dev unmounted first, on every exit path; VIRT_EXPORTER_KEEP_WORK=1 keeps them (unmounted).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "${1:-$here/../..}" && pwd)
suite=bookworm
cache=${VIRT_EXPORTER_FRESH_CACHE:-/var/cache/virt-exporter/fresh-root}
tarball=$cache/$suite-minbase.tar
max_age_days=7
start=$SECONDS

n=0
result=1 what="did not finish"
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
comment() { sed 's/^/# /'; }

work=$(mktemp -d /var/tmp/vexp-fresh.XXXXXX)
roots=()
pids=()
finish() {
  local rc=$result pid r
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  for r in "${roots[@]}"; do
    umount -R "$r/proc" "$r/sys" "$r/dev" 2>/dev/null
    if findmnt -rn -o TARGET | grep -qF "$r/"; then
      echo "# $r: still mounted, left in place" && rc=1 && continue
    fi
  done
  if [ "${VIRT_EXPORTER_KEEP_WORK:-0}" = 1 ]; then
    echo "# kept $work"
  elif ! findmnt -rn -o TARGET | grep -qF "$work/"; then
    rm -rf --one-file-system "$work"
  fi
  echo "1..$n"
  echo "# fresh root: $([ $rc = 0 ] && echo PASS || echo FAIL) - $what; $((SECONDS - start)) s"
  exit $rc
}
trap finish EXIT
trap 'what="interrupted"; exit 130' INT TERM

[ "$(id -u)" = 0 ] || { not_ok "runs as root (debootstrap, chroot and mounts need it)"; exit 1; }
for tool in debootstrap chroot findmnt curl python3; do
  command -v "$tool" >/dev/null || { not_ok "$tool is installed (tools/install-deps test)"; exit 1; }
done

# step DESCRIPTION COMMAND...: one TAP check; on failure the log's tail and the end of the run.
step() {
  local desc=$1 log
  shift
  log=$work/step-$((n + 1)).log
  local t=$SECONDS
  if "$@" >"$log" 2>&1; then
    ok "$desc ($((SECONDS - t)) s)"
  else
    not_ok "$desc ($((SECONDS - t)) s)"
    tail -n 40 "$log" | comment
    what="failed at: $desc"
    exit 1
  fi
}

# The Debian mirror this machine's apt uses for the suite (deb822 or one-line sources).
host_mirror() {
  local m
  m=$(awk 'BEGIN{RS=""} /(^|\n)Suites:[^\n]*[ \t]'$suite'([ \t\n]|$)/ && /(^|\n)Types:[^\n]*deb([ \t\n]|$)/ {
         if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) { s = substr($0, RSTART, RLENGTH); sub(/.*URIs:[ \t]*/, "", s); print s; exit } }' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null)
  [ -n "$m" ] || m=$(awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++; if ($2 ~ /^\[/) i++;
                        if ($(i + 1) == "'$suite'") { print $i; exit } }' /etc/apt/sources.list 2>/dev/null)
  echo "${VIRT_EXPORTER_FRESH_MIRROR:-$m}"
}

bootstrap() {  # the bare root, cached as a tarball
  local mirror tmp
  mirror=$(host_mirror)
  [ -n "$mirror" ] || { echo "no $suite mirror in /etc/apt (set VIRT_EXPORTER_FRESH_MIRROR)"; return 1; }
  mkdir -p "$cache"
  tmp=$work/bootstrap
  debootstrap --variant=minbase "$suite" "$tmp" "$mirror" || { tail -n 20 "$tmp/debootstrap/debootstrap.log" 2>/dev/null; return 1; }
  tar -C "$tmp" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball" && rm -rf --one-file-system "$tmp"
}

new_root() {  # new_root NAME: unpacked from the cache, this machine's apt sources, /proc /sys, its own /dev
  local r=$work/$1
  mkdir "$r" && tar -C "$r" -xf "$tarball" || return 1
  rm -f "$r/etc/apt/sources.list"
  cp -a /etc/apt/sources.list "$r/etc/apt/" 2>/dev/null
  cp -a /etc/apt/sources.list.d/. "$r/etc/apt/sources.list.d/" && cp -a /etc/apt/apt.conf.d/. "$r/etc/apt/apt.conf.d/" &&
    cp -L /etc/resolv.conf "$r/etc/resolv.conf" || return 1
  # As Debian's own chroot builders do: no package may start its service inside the root (influxdb's
  # and libvirt's init scripts would otherwise outlive the run and keep the root busy).
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d" && chmod 755 "$r/usr/sbin/policy-rc.d"
  roots+=("$r")
  mount -t proc proc "$r/proc" && mount --rbind /sys "$r/sys" && mount --make-rslave "$r/sys" && private_dev "$r/dev"
}

# A /dev of the root's own (a tmpfs with copies of the few nodes a build needs, its own devpts), never the
# host's: package scripts in the root change device nodes by the root's group numbers (qemu's postinst
# did `chgrp kvm /dev/kvm` with the root's kvm gid, which is another group on the host, and broke the
# host's KVM access for libvirt).
private_dev() {  # private_dev DIR
  local d=$1 node
  mount -t tmpfs -o mode=755,nosuid,size=64m dev "$d" || return 1
  for node in null zero full random urandom tty; do cp -a "/dev/$node" "$d/" || return 1; done
  mkdir "$d/pts" "$d/shm" && mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$d/pts" &&
    mount -t tmpfs -o mode=1777,nosuid,nodev shm "$d/shm" && ln -s pts/ptmx "$d/ptmx" && ln -s /proc/self/fd "$d/fd" &&
    ln -s /proc/self/fd/0 "$d/stdin" && ln -s /proc/self/fd/1 "$d/stdout" && ln -s /proc/self/fd/2 "$d/stderr"
}

in_root() {  # in_root NAME COMMAND: a login-like shell in the root, in /src when it exists
  local r=$work/$1
  shift
  chroot "$r" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 CI="${CI:-}" \
    bash -c "cd /src 2>/dev/null || cd /; $*"
}

# --- the bare root ---
if [ -f "$tarball" ] && [ -z "$(find "$tarball" -mtime +$((max_age_days - 1)) 2>/dev/null)" ]; then
  ok "bare Debian 12 root from the cache ($tarball, $(( ($(date +%s) - $(stat -c %Y "$tarball")) / 3600 )) h old)"
else
  step "debootstrap --variant=minbase $suite (cached for $max_age_days days in $cache)" bootstrap
fi

# --- root A: the README's commands, the test package list, the .deb ---
step "root A: unpacked, with this machine's apt sources" new_root a
step "root A: a clean export of the tree in /src" "$src/tools/export-tree" "$work/a/src"
step "root A: tools/run-demo --once (installs the build packages, builds, runs)" \
  in_root a "tools/run-demo --once >/tmp/once.json"
count_domains() {
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); names = sorted(x["name"] for x in d["domains"]);
print(names); sys.exit(0 if len(names) == 5 and d["libvirt_up"] else 1)' "$work/a/tmp/once.json"
}
step "root A: the JSON holds the demo node's five domains" count_domains
step "root A: tools/install-deps test" in_root a "tools/install-deps test"
step "root A: meson setup and build with the tests" in_root a "meson setup build-test && ninja -C build-test"
step "root A: the unit suite" in_root a "meson test -C build-test --suite unit --print-errorlogs --no-rebuild"
step "root A: the integration script 'once on the test driver'" \
  in_root a "meson test -C build-test --print-errorlogs --no-rebuild 'once on the test driver'"
step "root A: tools/build-deb (dpkg-buildpackage, lintian without errors)" in_root a "tools/build-deb /deb"
deb=$(ls "$work"/a/deb/virt-exporter_*.deb 2>/dev/null | head -n 1)

# --- root B: the package alone ---
step "root B: unpacked, with this machine's apt sources" new_root b
cp "$deb" "$work/b/tmp/" || { not_ok "the .deb is copied into root B"; exit 1; }
debname=$(basename "$deb")
step "root B: apt-get install ./$debname (its Depends pull in what it needs)" \
  in_root b "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/$debname"
in_root b "dpkg-query -L virt-exporter" >"$work/b-files.txt"
step "root B: virt-exporter --check-config --config /etc/virt-exporter/exporter.yaml" \
  in_root b "virt-exporter --check-config --config /etc/virt-exporter/exporter.yaml"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chroot "$work/b" /usr/bin/virt-exporter --libvirt.uri test:///usr/share/virt-exporter/demo-node.xml \
  --web.listen-address "127.0.0.1:$port" >"$work/b-exporter.log" 2>&1 &
pids+=($!)
scrape() {  # the root shares this machine's network: scrape it from outside, as Prometheus would
  local i
  for i in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$port/metrics" >"$work/b-metrics.txt"; then
      grep -q '^libvirt_up 1$' "$work/b-metrics.txt" && [ "$(grep -c '^libvirt_domain_info{' "$work/b-metrics.txt")" = 5 ] &&
        return 0
    fi
    sleep 0.2
  done
  cat "$work/b-exporter.log"
  return 1
}
step "root B: /usr/bin/virt-exporter serves the demo node's five domains on /metrics" scrape
stop_exporter() { kill "${pids[0]}" && wait "${pids[0]}"; local rc=$?; pids=(); [ $rc = 0 ]; }
step "root B: the exporter stops on SIGTERM with exit code 0" stop_exporter
step "root B: apt-get purge virt-exporter" in_root b "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q virt-exporter"
left_behind() {  # every path of the package's list that the bare root did not have must be gone
  tar -tf "$tarball" | sed 's|^\./|/|; s|/$||' | sort -u >"$work/bare.txt"
  local left=0 p
  while IFS= read -r p; do
    [ -z "$p" ] || [ "$p" = /. ] && continue
    grep -qxF "$p" "$work/bare.txt" && continue
    [ -e "$work/b$p" ] || [ -L "$work/b$p" ] || continue
    # A folder another installed package owns too (one of the dependencies') stays, rightly.
    [ -d "$work/b$p" ] && [ ! -L "$work/b$p" ] && in_root b "dpkg-query -S '$p'" >/dev/null 2>&1 && continue
    echo "left behind: $p"
    left=1
  done <"$work/b-files.txt"
  [ -s "$work/b-files.txt" ] && [ $left = 0 ]
}
step "root B: nothing of the package's $(wc -l <"$work/b-files.txt") paths is left after the purge" left_behind

result=0 what="both roots"
