#!/usr/bin/env python3
"""Turns bench/results/results.tsv into the markdown summary (ratios measured in the same run)."""
import csv
import platform
import subprocess
import sys
from collections import defaultdict


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.splitlines()[0]
    except Exception:  # noqa: BLE001 - a missing tool just shows as unknown
        return "unknown"


rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by = defaultdict(dict)
for r in rows:
    by[(r["scenario"], r["hosts"], r["run"])][r["tool"]] = r

print("# Benchmark results\n")
print(f"Machine: {platform.machine()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, "
      f"kernel {platform.release()}. jplay: {version(['./jplay', '--version'])}; "
      f"ansible: {version(['ansible-playbook', '--version'])}.\n")
print("Wall seconds; ratio = other tool / jplay (higher is better for jplay); floor ratio = jplay / floor.\n")
print("| scenario | hosts | run | jplay | ansible tuned | x | ansible defaults | x | floor | jplay/floor | "
      "jplay ctl CPU | jplay peak MB | jplay target CPU | ansible tuned target CPU |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def wall(r):
    return float(r["wall_s"]) if r else None


def fmt(v, digits=2):
    return "-" if v is None else f"{v:.{digits}f}"


for (scenario, hosts, run), tools in sorted(by.items(), key=lambda kv: (kv[0][0] != "site", int(kv[0][1]), kv[0][2])):
    if scenario == "startup":
        continue
    j = tools.get("jplay")
    t = tools.get("ansible-tuned")
    d = tools.get("ansible-defaults")
    f = tools.get("floor")
    jw = wall(j)
    print(f"| {scenario} | {hosts} | {run} | {fmt(jw)} | {fmt(wall(t))} | "
          f"{fmt(wall(t) / jw if t and jw else None, 1)} | {fmt(wall(d))} | {fmt(wall(d) / jw if d and jw else None, 1)} | "
          f"{fmt(wall(f))} | {fmt(jw / wall(f) if f and jw else None, 1)} | {j['ctl_cpu_s'] if j else '-'} | "
          f"{j['peak_rss_mb'] if j else '-'} | {j['target_cpu_s'] if j else '-'} | {t['target_cpu_s'] if t else '-'} |")
    for name, r in tools.items():
        if r["exit"] != "0":
            print(f"|   | | | **{name} exited {r['exit']}** | | | | | | | | | | |")

startup = by.get(("startup", "0", "first"), {})
if startup:
    print("\nStart-up: " + ", ".join(f"{k} {v['wall_s']} s" for k, v in startup.items()))

for run in ("first", "second"):
    site = {int(h): tools["jplay"] for (s, h, r), tools in by.items() if s == "site" and r == run and "jplay" in tools}
    spans = [(min(site), max(site))] if len(site) >= 2 else []
    if 50 in site and max(site) > 50 and min(site) != 50:
        spans.append((50, max(site)))
    for lo, hi in spans:
        growth = (float(site[hi]["peak_rss_mb"]) - float(site[lo]["peak_rss_mb"])) / (hi - lo)
        print(f"\njplay controller memory growth, {run} run: {growth:.2f} MiB per host (peak RSS, {lo} to {hi} hosts).")
