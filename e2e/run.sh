#!/usr/bin/env bash
# The lab suite, end to end: build (or reuse) the image, build the stand-in RPMs, boot ONE VM, copy the RPM
# repositories in, run the lab tests (Maven profile "lab", module e2e/) against it, stop the VM. Prints timings.
#
# usage: e2e/run.sh [-Dtest=SystemdLabTest ...]     extra arguments go to Maven (e.g. -o, or one test class)
# Needs root, qemu-system-x86, qemu-utils, debootstrap, rpm, createrepo-c (see e2e/README.md).
# Environment: JPLAY_LAB_CACHE, JPLAY_LAB_RUN, VM_ACCEL (see lab/common.sh); VM_MEM (MiB, default 1536);
#              KEEP_VM=1 leaves the VM running after the tests (for debugging; stop it with lab/stop.sh NAME).
# Exit status: Maven's, or 1 when a lab test was skipped or a step failed.
set -euo pipefail
E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E/.." && pwd)"
# shellcheck source=lab/common.sh
. "$E2E/lab/common.sh"
need_root

NAME="e2e-$$"           # unique per run: several runs (or the k8s lab) may share $JPLAY_LAB_RUN
T0=$(now_ms)
declare -a TIMINGS=()
step_done() { # label start_ms
  local ms=$(( $(now_ms) - $2 ))
  TIMINGS+=("$(printf '%-28s %6d.%01d s' "$1" $((ms / 1000)) $(( (ms % 1000) / 100 )))")
}
report() {
  local rc=$?
  if [ "${KEEP_VM:-0}" = 1 ] && [ -f "$(vm_dir "$NAME")/qemu.pid" ]; then
    log "KEEP_VM=1: VM $NAME left running on port $(vm_port "$NAME"); stop it with $E2E/lab/stop.sh $NAME"
  else
    KEEP_LOGS=1 "$E2E/lab/stop.sh" "$NAME" || true
  fi
  step_done "total" "$T0"
  echo "lab timings:"
  printf '  %s\n' "${TIMINGS[@]}"
  [ -f "$(vm_dir "$NAME")/console.log" ] && echo "  console log: $(vm_dir "$NAME")/console.log"
  exit "$rc"
}
trap report EXIT
trap 'exit 130' INT TERM

t=$(now_ms); "$E2E/lab/build-image.sh" >/dev/null; step_done "image (build or cache)" "$t"
t=$(now_ms); "$E2E/lab/build-rpms.sh"; step_done "stand-in RPMs" "$t"
t=$(now_ms); PORT=$("$E2E/lab/boot.sh" -n "$NAME" -m "${VM_MEM:-1536}" -c 2); step_done "boot to ssh" "$t"
t=$(now_ms); "$E2E/lab/push-repo.sh" "$NAME"; step_done "copy repositories in" "$t"

# The tests find the VM through these (see e2e/src/test/java/jplay/e2e/Lab.java).
export JPLAY_LAB_PORT="$PORT" JPLAY_LAB_KEY="$SSH_KEY"
t=$(now_ms)
rm -rf "$E2E/target/surefire-reports"
# -am builds engine and modules too; -Dtest selects only the lab tests, so their own suites do not run again.
(cd "$ROOT" && mvn -B -Plab verify -pl e2e -am -Dtest='jplay/e2e/**/*LabTest' -Dsurefire.failIfNoSpecifiedTests=false "$@")
step_done "lab tests" "$t"

# A skipped test is not a passing test (as for the unit suite in .ci/run).
skipped=$(grep -ho 'skipped="[0-9]*"' "$E2E"/target/surefire-reports/*.xml 2>/dev/null | grep -o '[0-9]*' \
  | awk '{s+=$1} END {print s+0}')
ran=$(grep -ho 'tests="[0-9]*"' "$E2E"/target/surefire-reports/TEST-*.xml 2>/dev/null | grep -o '[0-9]*' \
  | awk '{s+=$1} END {print s+0}')
[ "$ran" -gt 0 ] || die "no lab test ran (no surefire reports in $E2E/target/surefire-reports)"
[ "$skipped" = 0 ] || die "$skipped lab test(s) were skipped; every lab test must run"
log "$ran lab tests ran, none skipped"
