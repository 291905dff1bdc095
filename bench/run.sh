#!/usr/bin/env bash
# Benchmarks jplay against ansible-playbook on the same loopback hosts, in one run, in turns.
#
#   bench/run.sh [N ...]        host counts for the 20-task scenario (default: 1 10 50 100 200)
#   BENCH_QUICK=1 bench/run.sh  a shorter run for a busy machine (see below); BENCH_ANSIBLE_MAX=N caps Ansible
#
# For each N: hosts up; then for each tool a first run (everything changes) and a second run (nothing changes),
# each timed for wall time, controller CPU and peak memory (GNU time) and target CPU (sshd and its children).
# Tools: jplay; ansible-playbook tuned (forks=N, pipelining, ControlPersist); ansible-playbook with its defaults;
# the plain-shell floor (floor.sh, one ssh per host). Then the connection-cost scenario (one task, one host) and
# start-up (`jplay --version`). Results: bench/results/results.tsv and bench/results/summary.md.
# Needs root, ansible (Debian's package) and a built jplay (mvn -q -B package -DskipTests).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
export BENCH_DIR=${BENCH_DIR:-/tmp/jplay-bench}
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 10 50 100 200)
out="$here/results"
mkdir -p "$out" "$BENCH_DIR"
tsv="$out/results.tsv"
printf 'scenario\thosts\ttool\trun\twall_s\tctl_cpu_s\tpeak_rss_mb\ttarget_cpu_s\texit\n' > "$tsv"
[ -x "$top/modules/target/jplay.jar" ] || [ -f "$top/modules/target/jplay.jar" ] \
  || { echo "run.sh: build jplay first: mvn -q -B package -DskipTests" >&2; exit 1; }
command -v ansible-playbook >/dev/null || { echo "run.sh: ansible-playbook is missing (apt-get install ansible)" >&2; exit 1; }
user=${BENCH_USER:-jplaybench}
ulimit -n 65536 2>/dev/null || true

reset_state() {
  local home
  home=$(getent passwd "$user" | cut -d: -f6)
  rm -rf "$home/hosts"
  install -d -o "$user" "$home/hosts"
}

stop_masters() {
  # Ansible's ControlPersist masters keep sessions open; end them so sshd reaps (and counts) their children.
  local s
  for s in "$BENCH_DIR"/cp/*; do
    [ -S "$s" ] && ssh -o ControlPath="$s" -O exit dummy >/dev/null 2>&1 || true
  done
  sleep 0.3
}

# measure SCENARIO N TOOL RUN CMD...
measure() {
  local scenario=$1 n=$2 tool=$3 run=$4
  shift 4
  local before after rc
  before=$("$here/hosts.sh" cpu)
  set +e
  # GNU time runs programs, not shell functions: the tools run in a child bash that has the functions exported.
  /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time" bash -c '"$@"' _ "$@" > "$BENCH_DIR/last-$tool-$run.log" 2>&1
  rc=$?
  set -e
  stop_masters
  sleep 0.2
  after=$("$here/hosts.sh" cpu)
  read -r wall usr sys rss < <(tail -n 1 "$BENCH_DIR/time")
  local ctl
  ctl=$(awk -v u="$usr" -v s="$sys" 'BEGIN{print u + s}')
  printf '%s\t%s\t%s\t%s\t%s\t%.2f\t%.0f\t%.2f\t%s\n' "$scenario" "$n" "$tool" "$run" "$wall" "$ctl" \
    "$(awk -v k="$rss" 'BEGIN{print k/1024}')" \
    "$(awk -v a="$after" -v b="$before" -v c="$ctl" 'BEGIN{d = a - b - c; print d < 0 ? 0 : d}')" "$rc" | tee -a "$tsv"
}

jplay_run() { # N PLAYBOOK
  "$top/jplay" "$2" -i "$BENCH_DIR/inventory.ini" -f "$1" --known-hosts "$BENCH_DIR/known_hosts" --no-timing --color never
}

ansible_run() { # MODE N PLAYBOOK
  local mode=$1 n=$2 pb=$3
  mkdir -p "$BENCH_DIR/cp"
  local common=(-i "$BENCH_DIR/inventory.ini" "$pb")
  if [ "$mode" = tuned ]; then
    ANSIBLE_FORKS=$n ANSIBLE_PIPELINING=True ANSIBLE_HOST_KEY_CHECKING=True \
      ANSIBLE_SSH_ARGS="-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$BENCH_DIR/known_hosts" \
      ANSIBLE_SSH_CONTROL_PATH_DIR="$BENCH_DIR/cp" ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 \
      ANSIBLE_NOCOLOR=1 ansible-playbook "${common[@]}"
  else
    ANSIBLE_HOST_KEY_CHECKING=True \
      ANSIBLE_SSH_ARGS="-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$BENCH_DIR/known_hosts" \
      ANSIBLE_SSH_CONTROL_PATH_DIR="$BENCH_DIR/cp" ANSIBLE_NOCOLOR=1 ansible-playbook "${common[@]}"
  fi
}

floor_run() { # N
  local home i pids=()
  home=$(getent passwd "$user" | cut -d: -f6)
  for i in $(seq 1 "$1"); do
    ssh -i "$BENCH_DIR/client_key" -p "${BENCH_PORT:-42122}" -o UserKnownHostsFile="$BENCH_DIR/known_hosts" \
      -o BatchMode=yes "$user@127.0.0.$((i + 1))" sh -s -- "$home/hosts/b$i" < "$here/floor.sh" &
    pids+=($!)
  done
  local rc=0 p
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  return $rc
}

export here top user BENCH_DIR
export -f jplay_run ansible_run floor_run

# The launcher archives the classes of the first playbook run after a build (class-data sharing); that run pays
# for writing the archive, so it happens here, untimed, rather than in the first measurement.
if [ ! -f "$top/modules/target/jplay.jsa" ] || [ "$top/modules/target/jplay.jar" -nt "$top/modules/target/jplay.jsa" ]; then
  "$here/hosts.sh" up 1 > /dev/null
  reset_state
  jplay_run 1 "$here/site.yml" > "$BENCH_DIR/cds-training.log" 2>&1 || true
fi

for n in "${counts[@]}"; do
  "$here/hosts.sh" up "$n" > /dev/null
  if [ -n "${BENCH_QUICK:-}" ]; then
    # A shorter run for a busy machine: Ansible only times the second run (nothing changes), on the state jplay's
    # runs just converged to (the same end state: the playbook is the same), and only up to BENCH_ANSIBLE_MAX hosts.
    reset_state
    measure site "$n" jplay first jplay_run "$n" "$here/site.yml"
    measure site "$n" jplay second jplay_run "$n" "$here/site.yml"
    if [ "$n" -le "${BENCH_ANSIBLE_MAX:-50}" ]; then
      measure site "$n" ansible-tuned second ansible_run tuned "$n" "$here/site.yml"
      measure site "$n" ansible-defaults second ansible_run defaults "$n" "$here/site.yml"
    fi
    reset_state
    measure site "$n" floor first floor_run "$n"
    measure site "$n" floor second floor_run "$n"
    continue
  fi
  for tool in jplay ansible-tuned ansible-defaults floor; do
    reset_state
    for run in first second; do
      case $tool in
        jplay) measure site "$n" "$tool" "$run" jplay_run "$n" "$here/site.yml" ;;
        ansible-tuned)
          # BENCH_ANSIBLE_MAX caps the host counts tuned Ansible runs at (it takes minutes at 100 and more).
          [ "$n" -le "${BENCH_ANSIBLE_MAX:-200}" ] || continue
          measure site "$n" "$tool" "$run" ansible_run tuned "$n" "$here/site.yml" ;;
        ansible-defaults)
          # Ansible's defaults take minutes at large N; measured up to 50 hosts.
          [ "$n" -le 50 ] || continue
          measure site "$n" "$tool" "$run" ansible_run defaults "$n" "$here/site.yml" ;;
        floor) measure site "$n" "$tool" "$run" floor_run "$n" ;;
      esac
    done
  done
done

"$here/hosts.sh" up 1 > /dev/null
measure one-task 1 jplay first jplay_run 1 "$here/one-task.yml"
measure one-task 1 ansible-tuned first ansible_run tuned 1 "$here/one-task.yml"
measure startup 0 jplay-version first "$top/jplay" --version
measure startup 0 ansible-version first ansible-playbook --version
"$here/hosts.sh" down

python3 "$here/summary.py" "$tsv" > "$out/summary.md"
cat "$out/summary.md"
