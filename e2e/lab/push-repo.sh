#!/usr/bin/env bash
# Copy the stand-in repositories (build-rpms.sh) into a running VM at /opt/jplay-repo.
# usage: push-repo.sh NAME...
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
[ $# -ge 1 ] || die "usage: push-repo.sh NAME..."
[ -d "$REPO_DIR/base/repodata" ] || "$HERE/build-rpms.sh"
for NAME in "$@"; do
  PORT=$(vm_port "$NAME") || true
  [ -n "$PORT" ] || die "VM $NAME is not running"
  ssh "${SSH_OPTS[@]}" -p "$PORT" root@127.0.0.1 'rm -rf /opt/jplay-repo && mkdir -p /opt'
  scp -q -r "${SSH_OPTS[@]}" -P "$PORT" "$REPO_DIR" root@127.0.0.1:/opt/jplay-repo
  log "VM $NAME: stand-in repositories in /opt/jplay-repo"
done
