#!/bin/sh
# The plain-shell floor: the same changes as site.yml, as one script per host over one SSH connection.
# Usage: floor.sh DIR  (run on the target: ssh host sh -s -- DIR < floor.sh)
set -e
d=$1
mkdir -p "$d/etc" "$d/data"
chmod 0755 "$d" "$d/etc"
restart=
want="# managed by the benchmark
name=$(basename "$d")
port=80"
if [ ! -f "$d/etc/app.conf" ]; then printf '%s\n' "$want" > "$d/etc/app.conf"; restart=1; fi
chmod 0644 "$d/etc/app.conf"
[ "$(cat "$d/etc/other.conf" 2>/dev/null)" = "other=1" ] || printf 'other=1\n' > "$d/etc/other.conf"
chmod 0640 "$d/etc/other.conf"
grep -qx 'setting=1' "$d/etc/app.conf" || echo 'setting=1' >> "$d/etc/app.conf"
if ! grep -qx 'port=8080' "$d/etc/app.conf"; then sed -i 's/^port=.*/port=8080/' "$d/etc/app.conf"; restart=1; fi
[ -e "$d/initialised" ] || touch "$d/initialised"
stat -c '%s %a' "$d/etc/app.conf" > /dev/null
chmod 0750 "$d/data"
[ "$(cat "$d/data/a.txt" 2>/dev/null)" = alpha ] || printf 'alpha\n' > "$d/data/a.txt"
[ "$(cat "$d/data/b.txt" 2>/dev/null)" = beta ] || printf 'beta\n' > "$d/data/b.txt"
grep -qx gamma "$d/data/c.txt" 2>/dev/null || echo gamma >> "$d/data/c.txt"
cat "$d/etc/app.conf" > /dev/null
rm -rf "$d/stale"
[ -L "$d/current" ] || ln -sfn "$d/data" "$d/current"
stat -c '%F' "$d/data" > /dev/null
[ -e "$d/report" ] || echo "x" > "$d/report"
sed -i '/^debug=/d' "$d/etc/app.conf"
if [ "$(cat "$d/etc/third.conf" 2>/dev/null)" != "third=3" ]; then printf 'third=3\n' > "$d/etc/third.conf"; restart=1; fi
[ -z "$restart" ] || touch "$d/restarted"
