#!/usr/bin/env bash
# Loopback benchmark hosts: one OpenSSH sshd listening on 127.0.0.2 .. 127.0.0.(N+1), all logging in as one
# throw-away user whose login shell reads no rc files, so both tools pay the same, realistic per-command cost.
#
#   bench/hosts.sh up N      start (or restart) the hosts; writes $BENCH_DIR/inventory.ini
#   bench/hosts.sh down      stop them
#   bench/hosts.sh cpu       print the CPU seconds used by sshd and all its children so far
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
  {
    echo "Port $PORT"
    for i in $(seq 1 "$n"); do echo "ListenAddress 127.0.0.$((i + 1))"; done
    echo "HostKey $BENCH_DIR/host_key"
    echo "PidFile $BENCH_DIR/sshd.pid"
    echo "UsePAM no"
    echo "PasswordAuthentication no"
    echo "MaxStartups 1000:30:1000"
    echo "MaxSessions 1000"
    echo "LogLevel ERROR"
    echo "AllowUsers $BENCH_USER"
  } > "$BENCH_DIR/sshd_config"
  /usr/sbin/sshd -f "$BENCH_DIR/sshd_config" -E "$BENCH_DIR/sshd.log"
  for _ in $(seq 1 100); do [ -s "$BENCH_DIR/sshd.pid" ] && break; sleep 0.05; done
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
  if [ -s "$BENCH_DIR/sshd.pid" ]; then
    kill "$(cat "$BENCH_DIR/sshd.pid")" 2>/dev/null || true
    rm -f "$BENCH_DIR/sshd.pid"
  fi
}

cpu() {
  # utime+stime of sshd itself plus cutime+cstime of the children it has reaped (every session ends reaped).
  local pid tck
  pid=$(cat "$BENCH_DIR/sshd.pid")
  tck=$(getconf CLK_TCK)
  awk -v t="$tck" '{ printf "%.2f\n", ($14 + $15 + $16 + $17) / t }' "/proc/$pid/stat"
}

case "${1:-}" in
  up) up "${2:?hosts.sh up N}" ;;
  down) down ;;
  cpu) cpu ;;
  *) echo "usage: hosts.sh up N | down | cpu" >&2; exit 2 ;;
esac
