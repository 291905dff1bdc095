#!/usr/bin/env bash
# shellcheck disable=SC2054  # commas in arrays below are qemu option syntax
# Boot one throw-away VM of the lab image (build-image.sh) and wait until root can log in over ssh.
#
# usage: boot.sh [-n NAME] [-p SSH_PORT] [-m MEM_MB] [-c CPUS] [-t TIMEOUT_S]
#                [--net2 IP/PREFIX --hub-port PORT --index I] [--no-wait]
#
# The disk is a qcow2 overlay on the read-only base image, created fresh for
# every boot and deleted by stop.sh, so each run starts from a clean image.
# Networking is qemu user-mode networking with restrict=on: the guest can reach
# nothing outside; the only path in is hostfwd 127.0.0.1:SSH_PORT -> guest:22.
# --net2 adds a second NIC on a private segment shared with the other VMs
# through hub.py (UDP on 127.0.0.1 only); see cluster.sh.
#
# On success prints the SSH port on stdout (all logs go to stderr) and writes $JPLAY_LAB_RUN/run/NAME/:
#   ssh_port, qemu.pid (stop.sh kills exactly this pid), console.log (serial console), boot_seconds.
# Log in with: ssh -i $IMAGE_DIR/id_ed25519 -p PORT root@127.0.0.1 (users root, jplay, jplaypw; see README).
# Environment: JPLAY_LAB_RUN, JPLAY_LAB_CACHE, VM_ACCEL=kvm|tcg (default: kvm only if the CPU has vmx/svm,
#              else tcg), LAB_PORT_BASE (first port tried when -p is not given, default 10022).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

NAME=vm1 PORT="" MEM=1024 CPUS=2 TIMEOUT=300 WAIT=1
NET2="" HUB_PORT="" INDEX=1
while [ $# -gt 0 ]; do
  case "$1" in
    -n) NAME=$2; shift 2;;
    -p) PORT=$2; shift 2;;
    -m) MEM=$2; shift 2;;
    -c) CPUS=$2; shift 2;;
    -t) TIMEOUT=$2; shift 2;;
    --net2) NET2=$2; shift 2;;
    --hub-port) HUB_PORT=$2; shift 2;;
    --index) INDEX=$2; shift 2;;
    --no-wait) WAIT=0; shift;;
    -h|--help) sed -n "3,20p" "$0"; exit 0;;
    *) die "unknown argument: $1";;
  esac
done

[ -f "$IMAGE_DIR/rootfs.img" ] || die "no image in $IMAGE_DIR; run build-image.sh first"
need_cmds qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils ssh:openssh-client ss:iproute2

DIR="$(vm_dir "$NAME")"
if [ -f "$DIR/qemu.pid" ] && kill -0 "$(cat "$DIR/qemu.pid")" 2>/dev/null; then
  die "VM $NAME already running (pid $(cat "$DIR/qemu.pid"), port $(vm_port "$NAME"))"
fi
rm -rf "$DIR"
mkdir -p "$DIR"

port_free() { [ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
if [ -z "$PORT" ]; then
  # Lock so that VMs started in parallel do not pick the same port.
  exec 9>"$RUN_DIR/.port.lock"
  flock 9
  PORT=${LAB_PORT_BASE:-10022}
  while ! port_free "$PORT" || grep -qsx "$PORT" "$RUN_DIR"/*/ssh_port; do PORT=$((PORT + 1)); done
  echo "$PORT" > "$DIR/ssh_port"
  flock -u 9
  exec 9>&-
else
  port_free "$PORT" || die "port $PORT is in use"
  echo "$PORT" > "$DIR/ssh_port"
fi

ACCEL=$(pick_accel)
case "$ACCEL" in
  kvm) ACCEL_ARGS=(-accel kvm -cpu host);;
  tcg) ACCEL_ARGS=(-accel tcg,thread=multi,tb-size=256 -cpu max);;
  *) die "VM_ACCEL must be kvm or tcg";;
esac
echo "$ACCEL" > "$DIR/accel"

# Fresh copy-on-write overlay per boot: the cached base image is never written.
qemu-img create -q -f qcow2 -F raw -b "$IMAGE_DIR/rootfs.img" "$DIR/disk.qcow2"

APPEND="root=/dev/vda rw console=ttyS0 systemd.hostname=$NAME mitigations=off quiet"
# restrict=on: the guest reaches nothing outside; the only way in is the loopback port forward.
NET_ARGS=(-netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$PORT-:22"
          -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56)
if [ -n "$NET2" ]; then
  [ -n "$HUB_PORT" ] || die "--net2 needs --hub-port"
  MAC2=$(printf '52:54:00:aa:00:%02x' "$INDEX")
  NET_ARGS+=(-netdev "socket,id=n1,udp=127.0.0.1:$HUB_PORT,localaddr=127.0.0.1:$((HUB_PORT + INDEX))"
             -device "virtio-net-pci,netdev=n1,mac=$MAC2")
  APPEND="$APPEND jplay.net2=$NET2 jplay.net2mac=$MAC2"
  echo "$NET2" > "$DIR/net2"
fi

START_MS=$(( $(date +%s%N) / 1000000 ))
qemu-system-x86_64 -name "$NAME" -machine q35 "${ACCEL_ARGS[@]}" \
  -smp "$CPUS" -m "$MEM" \
  -kernel "$IMAGE_DIR/vmlinuz" -initrd "$IMAGE_DIR/initrd.img" -append "$APPEND" \
  -drive "file=$DIR/disk.qcow2,if=virtio,format=qcow2,cache=unsafe,discard=unmap" \
  "${NET_ARGS[@]}" \
  -device virtio-rng-pci \
  -display none -vga none -serial "file:$DIR/console.log" \
  -monitor "unix:$DIR/monitor.sock,server,nowait" \
  -pidfile "$DIR/qemu.pid" -daemonize > "$DIR/qemu.log" 2>&1 \
  || { cat "$DIR/qemu.log" >&2; die "qemu failed to start"; }
log "VM $NAME: qemu pid $(cat "$DIR/qemu.pid"), accel $ACCEL, ${MEM} MiB, $CPUS cpu, ssh port $PORT"

if [ "$WAIT" -eq 1 ]; then
  while :; do
    if ssh "${SSH_OPTS[@]}" -p "$PORT" root@127.0.0.1 true 2>/dev/null; then break; fi
    kill -0 "$(cat "$DIR/qemu.pid")" 2>/dev/null || { tail -30 "$DIR/console.log" >&2; die "qemu exited"; }
    if [ $(( $(date +%s%N) / 1000000 - START_MS )) -gt $(( TIMEOUT * 1000 )) ]; then
      tail -30 "$DIR/console.log" >&2
      die "ssh not ready after ${TIMEOUT}s (VM left running; stop.sh $NAME)"
    fi
    sleep 0.5
  done
  MS=$(( $(date +%s%N) / 1000000 - START_MS ))
  SECS="$((MS / 1000)).$(( (MS % 1000) / 100 ))"
  echo "$SECS" > "$DIR/boot_seconds"
  CPU=$(ps -o times= -p "$(cat "$DIR/qemu.pid")" | tr -d ' ')
  echo "$CPU" > "$DIR/boot_cpu_seconds"
  log "VM $NAME: ssh ready after ${SECS}s, qemu used ${CPU}s CPU (ssh -i $SSH_KEY -p $PORT root@127.0.0.1)"
fi
echo "$PORT"
