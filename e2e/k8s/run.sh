#!/usr/bin/env bash
# The Kubernetes playbook (playbooks/k8s/site.yml) on the real-host lab: three VMs node1..node3 on a private
# segment (192.168.100.11-13), the stand-in repositories (build-repos.sh) copied into each, then the lab test
# jplay.e2e.K8sPlaybookLab (single node on node1, twice; the cluster node1 + node2, node3, twice; node3 down).
# Stops every VM it started, whatever happens. Prints timings.
#
# usage: e2e/k8s/run.sh [maven args...]       e.g. -o
# Needs root and what e2e/run.sh needs, plus gnupg (signing the stand-in repositories).
# Environment: JPLAY_LAB_CACHE (image cache, shared with e2e/run.sh); JPLAY_K8S_LAB_RUN (per-run state, default
#              /tmp/jplay-lab-k8s: its own, so "cluster.sh down" never touches another run's VMs); HUB_PORT
#              (default 5650); K8S_NODE_MEM (MiB per node, default 768); K8S_BOOT_TIMEOUT (s, default 900);
#              KEEP_VM=1 leaves the VMs running.
set -euo pipefail
K8S="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E="$(cd "$K8S/.." && pwd)"
ROOT="$(cd "$E2E/.." && pwd)"
export JPLAY_LAB_RUN="${JPLAY_K8S_LAB_RUN:-/tmp/jplay-lab-k8s}"
export HUB_PORT="${HUB_PORT:-5650}" LAB_PORT_BASE="${LAB_PORT_BASE:-10122}" NODE_CPUS=1
# shellcheck source=../lab/common.sh
. "$E2E/lab/common.sh"
need_root
need_cmds gpg:gnupg rpmsign:rpm createrepo_c:createrepo-c

T0=$(now_ms)
declare -a TIMINGS=()
step_done() { # label start_ms
  local ms=$(( $(now_ms) - $2 ))
  TIMINGS+=("$(printf '%-28s %6d.%01d s' "$1" $((ms / 1000)) $(( (ms % 1000) / 100 )))")
}
report() {
  local rc=$?
  if [ "${KEEP_VM:-0}" = 1 ]; then
    log "KEEP_VM=1: VMs left running; stop them with JPLAY_LAB_RUN=$JPLAY_LAB_RUN $E2E/lab/cluster.sh down"
  else
    # Boots still under way first (a failed boot must not leave its siblings starting), then every VM and the hub
    # of this run's own directory ($JPLAY_LAB_RUN is this script's alone, so --all stops exactly what it started).
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    KEEP_LOGS=1 "$E2E/lab/stop.sh" --all || true
  fi
  step_done "total" "$T0"
  echo "k8s lab timings:"
  printf '  %s\n' "${TIMINGS[@]}"
  exit "$rc"
}
pids=()
trap report EXIT
trap 'exit 130' INT TERM

# VMs of an earlier run of this script that was killed before its trap ran (the directory is this script's own).
KEEP_LOGS=1 "$E2E/lab/stop.sh" --all >/dev/null 2>&1 || true
t=$(now_ms); "$E2E/lab/build-image.sh" >/dev/null; step_done "image (build or cache)" "$t"
t=$(now_ms); K8S_REPO="$JPLAY_LAB_RUN/k8s-repo" "$K8S/build-repos.sh" 2>/dev/null; step_done "stand-in repositories" "$t"
t=$(now_ms)
# As lab/cluster.sh up 3, with a boot timeout for a busy machine (three TCG guests on two shared cores took more
# than cluster.sh's 300 s to reach ssh while other jobs ran).
mkdir -p "$RUN_DIR/hub"
python3 "$E2E/lab/hub.py" "$HUB_PORT" 3 > "$RUN_DIR/hub/hub.log" 2>&1 &
echo $! > "$RUN_DIR/hub/hub.pid"
for i in 1 2 3; do
  "$E2E/lab/boot.sh" -n "node$i" -m "${K8S_NODE_MEM:-768}" -c 1 -t "${K8S_BOOT_TIMEOUT:-900}" \
    --net2 "192.168.100.$((10 + i))/24" --hub-port "$HUB_PORT" --index "$i" > "$RUN_DIR/.node$i.port" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "a node did not boot (console logs in $RUN_DIR/node*/)"; done
for i in 1 2 3; do echo "node$i $(cat "$RUN_DIR/.node$i.port") 192.168.100.$((10 + i))"; done > "$JPLAY_LAB_RUN/nodes"
step_done "boot 3 nodes to ssh" "$t"

# What an EL8 host has before the playbook runs: its OS repositories (BaseOS, AppStream) and an SELinux
# configuration. The pkgs.k8s.io repositories stay under /opt/k8s-repo for the playbook to add.
t=$(now_ms)
NODES=""
while read -r name port ip; do
  [ -n "$port" ] || die "node $name did not boot"
  tar -C "$JPLAY_LAB_RUN/k8s-repo" -cf - . | ssh "${SSH_OPTS[@]}" -p "$port" root@127.0.0.1 \
    'rm -rf /opt/k8s-repo && mkdir -p /opt/k8s-repo && tar -C /opt/k8s-repo -xf - &&
     cp /opt/k8s-repo/el8.repo /etc/yum.repos.d/el8.repo && mkdir -p /etc/selinux &&
     printf "SELINUX=enforcing\nSELINUXTYPE=targeted\n" > /etc/selinux/config'
  NODES="$NODES${NODES:+,}$name:$port:$ip"
done < "$JPLAY_LAB_RUN/nodes"
step_done "prepare nodes" "$t"

# The test finds the nodes through these (see K8sPlaybookLab); JPLAY_LAB_STOP stops one node (the
# unreachable-worker case).
export JPLAY_K8S_NODES="$NODES" JPLAY_LAB_KEY="$SSH_KEY" JPLAY_LAB_STOP="$E2E/lab/stop.sh"
t=$(now_ms)
rm -rf "$E2E/target/surefire-reports"
(cd "$ROOT" && mvn -B -Plab verify -pl e2e -am -Dtest=K8sPlaybookLab -Dsurefire.failIfNoSpecifiedTests=false "$@")
step_done "k8s lab test" "$t"
ran=$(grep -ho 'tests="[0-9]*"' "$E2E"/target/surefire-reports/TEST-*K8sPlaybookLab.xml 2>/dev/null | grep -o '[0-9]*' \
  | awk '{s+=$1} END {print s+0}')
skipped=$(grep -ho 'skipped="[0-9]*"' "$E2E"/target/surefire-reports/TEST-*K8sPlaybookLab.xml 2>/dev/null \
  | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}')
[ "$ran" -gt 0 ] || die "the k8s lab test did not run"
[ "$skipped" = 0 ] || die "$skipped k8s lab test(s) were skipped; every one must run"
log "$ran k8s lab tests ran, none skipped"
