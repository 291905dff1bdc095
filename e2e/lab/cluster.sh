#!/usr/bin/env bash
# Start/stop N VMs that share a private network (192.168.100.0/24) for
# multi-node tests, e.g. one control plane and two workers.
#
# usage: cluster.sh up [N] [MEM_MB]   boots node1..nodeN in parallel; prints
#                                     "NAME SSH_PORT PRIVATE_IP" per node
#        cluster.sh down             stops the nodes "up" started and the hub (not other VMs under
#                                    $JPLAY_LAB_RUN, e.g. a running e2e/run.sh's)
# nodeI gets 192.168.100.(10+I) on its second NIC.
# Environment: JPLAY_LAB_RUN, VM_ACCEL, HUB_PORT (default 5550), NODE_CPUS (default 1)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

cmd=${1:-}; N=${2:-3}; MEM=${3:-768}
HUB_PORT=${HUB_PORT:-5550}
case "$cmd" in
  up)
    need_cmds python3:python3
    mkdir -p "$RUN_DIR/hub"
    if ! { [ -f "$RUN_DIR/hub/hub.pid" ] && kill -0 "$(cat "$RUN_DIR/hub/hub.pid")" 2>/dev/null; }; then
      python3 "$HERE/hub.py" "$HUB_PORT" "$N" > "$RUN_DIR/hub/hub.log" 2>&1 &
      echo $! > "$RUN_DIR/hub/hub.pid"
    fi
    pids=()
    : > "$RUN_DIR/hub/nodes"
    for i in $(seq 1 "$N"); do
      echo "node$i" >> "$RUN_DIR/hub/nodes"
      "$HERE/boot.sh" -n "node$i" -m "$MEM" -c "${NODE_CPUS:-1}" --net2 "192.168.100.$((10 + i))/24" \
        --hub-port "$HUB_PORT" --index "$i" > "$RUN_DIR/.node$i.port" &
      pids+=($!)
    done
    rc=0
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    for i in $(seq 1 "$N"); do
      echo "node$i $(cat "$RUN_DIR/.node$i.port" 2>/dev/null) 192.168.100.$((10 + i))"
      rm -f "$RUN_DIR/.node$i.port"
    done
    exit $rc;;
  down)
    [ -f "$RUN_DIR/hub/nodes" ] || { log "no cluster is up"; exit 0; }
    mapfile -t nodes < "$RUN_DIR/hub/nodes"
    [ "${#nodes[@]}" -eq 0 ] || "$HERE/stop.sh" "${nodes[@]}"
    if [ -f "$RUN_DIR/hub/hub.pid" ]; then
      pid=$(cat "$RUN_DIR/hub/hub.pid")
      kill -0 "$pid" 2>/dev/null && kill "$pid" && log "stopped hub (pid $pid)"
    fi
    rm -rf "$RUN_DIR/hub";;
  *) die "usage: cluster.sh up [N] [MEM_MB] | down";;
esac
