#!/usr/bin/env bash
# Loopback benchmark hosts: one OpenSSH sshd listening on 127.0.0.2 .. 127.0.0.(N+1), all logging in as one
# throw-away user whose login shell reads no rc files, so both tools pay the same, realistic per-command cost.
#
#   bench/hosts.sh up N      start (or restart) the hosts; writes $BENCH_DIR/inventory.ini
#   bench/hosts.sh down      stop them
#   bench/hosts.sh cpu       print the machine's busy CPU seconds so far (targets = this minus the controller)
#
# Needs root (a user and sshd on many addresses). Everything lives in $BENCH_DIR (default /tmp/jplay-bench).
set -euo pipefail
BENCH_DIR=${BENCH_DIR:-/tmp/jplay-bench}
BENCH_USER=${BENCH_USER:-jplaybench}
PORT=${BENCH_PORT:-42122}

up() {
  local n=$1
  [ "$(id -u)" = 0 ] || { echo "hosts.sh: run as root" >&2; exit 1; }
  down >/dev/null 2>&1 || true
  mkdir -p "$BENCH_DIR"
  if ! id "$BENCH_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$BENCH_USER"
  fi
  # '*': no password, but not locked ('!'), which sshd without PAM would refuse even for keys.
  usermod -p '*' "$BENCH_USER"
  local home
  home=$(getent passwd "$BENCH_USER" | cut -d: -f6)
  # An empty rc file: a login shell that loads pyenv or similar would dominate every command's cost.
  : > "$home/.bashrc"
  [ -f "$BENCH_DIR/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$BENCH_DIR/client_key"
  [ -f "$BENCH_DIR/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$BENCH_DIR/host_key"
  install -d -m 700 -o "$BENCH_USER" "$home/.ssh"
  install -m 600 -o "$BENCH_USER" "$BENCH_DIR/client_key.pub" "$home/.ssh/authorized_keys"
  mkdir -p /run/sshd
  # OpenSSH listens on at most 16 sockets per sshd (MAX_LISTEN_SOCKS): one sshd per 16 addresses.
  local first=1 k=0
  while [ "$first" -le "$n" ]; do
    local last=$((first + 15))
    [ "$last" -le "$n" ] || last=$n
    k=$((k + 1))
    {
      echo "Port $PORT"
      for i in $(seq "$first" "$last"); do echo "ListenAddress 127.0.0.$((i + 1))"; done
      echo "HostKey $BENCH_DIR/host_key"
      echo "PidFile $BENCH_DIR/sshd-$k.pid"
      echo "UsePAM no"
      echo "PasswordAuthentication no"
      echo "MaxStartups 1000:30:1000"
      echo "MaxSessions 1000"
      echo "LogLevel ERROR"
      echo "AllowUsers $BENCH_USER"
    } > "$BENCH_DIR/sshd-$k.config"
    /usr/sbin/sshd -f "$BENCH_DIR/sshd-$k.config" -E "$BENCH_DIR/sshd.log"
    for _ in $(seq 1 100); do [ -s "$BENCH_DIR/sshd-$k.pid" ] && break; sleep 0.05; done
    [ -s "$BENCH_DIR/sshd-$k.pid" ] || { echo "hosts.sh: sshd $k did not start; see $BENCH_DIR/sshd.log" >&2; exit 1; }
    first=$((last + 1))
  done
  : > "$BENCH_DIR/known_hosts"
  {
    echo "[bench]"
    for i in $(seq 1 "$n"); do
      echo "b$i ansible_host=127.0.0.$((i + 1))"
      echo "[127.0.0.$((i + 1))]:$PORT $(cut -d' ' -f1,2 "$BENCH_DIR/host_key.pub")" >> "$BENCH_DIR/known_hosts"
    done
    echo "[bench:vars]"
    echo "ansible_port=$PORT"
    echo "ansible_user=$BENCH_USER"
    echo "ansible_ssh_private_key_file=$BENCH_DIR/client_key"
    echo "bench_root=$home/hosts"
  } > "$BENCH_DIR/inventory.ini"
  echo "$BENCH_DIR/inventory.ini"
}

down() {
  local f
  for f in "$BENCH_DIR"/sshd-*.pid; do
    [ -s "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
}

cpu() {
  # Busy CPU seconds of the whole machine (from /proc/stat). run.sh subtracts the controller's own CPU, so what
  # is left is the targets' work: sshd, the shells and whatever they run. (sshd's cutime would miss the session
  # processes, which are not reaped by the listener itself.) Meaningful on an otherwise quiet machine only.
  local tck
  tck=$(getconf CLK_TCK)
  awk -v t="$tck" '/^cpu / { printf "%.2f\n", ($2 + $3 + $4 + $7 + $8) / t }' /proc/stat
}

case "${1:-}" in
  up) up "${2:?hosts.sh up N}" ;;
  down) down ;;
  cpu) cpu ;;
  *) echo "usage: hosts.sh up N | down | cpu" >&2; exit 2 ;;
esac
