#!/usr/bin/env bash
# Stop VMs started by boot.sh (by the pid qemu wrote) and delete their overlays.
#
# usage: stop.sh NAME...      stop the named VMs
#        stop.sh --all        stop every VM under $JPLAY_LAB_RUN/run (and a running hub.py), including
#                             other users' (another e2e/run.sh): only for cleaning up a machine
# Environment: KEEP_LOGS=1 keeps $JPLAY_LAB_RUN/run/NAME/console.log.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

stop_pidfile() { # pidfile label
  local pf=$1 pid
  [ -f "$pf" ] || return 0
  pid=$(cat "$pf")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    log "stopped $2 (pid $pid)"
  fi
  rm -f "$pf"
}

stop_vm() {
  local dir; dir="$(vm_dir "$1")"
  [ -d "$dir" ] || { log "no VM $1"; return 0; }
  stop_pidfile "$dir/qemu.pid" "VM $1"
  if [ "${KEEP_LOGS:-0}" = 1 ]; then
    rm -f "$dir/disk.qcow2" "$dir/monitor.sock"
  else
    rm -rf "$dir"
  fi
}

[ $# -gt 0 ] || die "usage: stop.sh NAME... | --all"
if [ "$1" = "--all" ]; then
  for d in "$RUN_DIR"/*/; do
    [ -d "$d" ] || continue
    n=$(basename "$d")
    [ "$n" = hub ] && continue
    stop_vm "$n"
  done
  stop_pidfile "$RUN_DIR/hub/hub.pid" "hub"
  rm -rf "$RUN_DIR/hub"
else
  for n in "$@"; do stop_vm "$n"; done
fi
