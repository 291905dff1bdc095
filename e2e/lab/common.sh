# shellcheck shell=bash disable=SC2034
# Shared settings of the jplay real-host lab; sourced by the other scripts.
#
# Two places on disk:
#   $JPLAY_LAB_CACHE/<key>/  the built image (rootfs.img, vmlinuz, initrd.img, id_ed25519). <key> is a hash of
#                            build-image.sh and packages.txt, so a changed recipe builds a new image and an
#                            unchanged one is reused across runs (default cache: /var/cache/jplay-lab).
#   $JPLAY_LAB_RUN/          per-run state: run/NAME/ per VM (overlay, pidfile, port, console log) and
#                            rpmrepo/ (the stand-in repositories). Default /tmp/jplay-lab.

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JPLAY_LAB_CACHE="${JPLAY_LAB_CACHE:-/var/cache/jplay-lab}"
JPLAY_LAB_RUN="${JPLAY_LAB_RUN:-/tmp/jplay-lab}"
# The key covers everything that decides the image's contents. (The stand-in RPMs are not baked in: they are
# copied into each booted VM, so changing them never costs an image rebuild.)
IMAGE_KEY="$(cat "$LAB_DIR/build-image.sh" "$LAB_DIR/packages.txt" | sha256sum | cut -c1-16)"
IMAGE_DIR="${JPLAY_LAB_IMAGE:-$JPLAY_LAB_CACHE/$IMAGE_KEY}"
RUN_DIR="$JPLAY_LAB_RUN/run"
REPO_DIR="$JPLAY_LAB_RUN/rpmrepo"
SSH_KEY="$IMAGE_DIR/id_ed25519"
# Every boot has the same host keys (made once in the image) on a changing port: never record them.
SSH_OPTS=(-i "$SSH_KEY" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
          -o LogLevel=ERROR -o ConnectTimeout=30 -o BatchMode=yes)  # 30 s: a loaded TCG guest is slow to answer

die() { echo "lab: error: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] lab: $*" >&2; }

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, mkfs)"; }

# Fail with the Debian package to install when a command is missing (CI installs them from .ci/apt-packages).
need_cmds() { # cmd:package ...
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ "${#missing[@]}" -eq 0 ] || die "missing host packages: ${missing[*]} (apt-get install ${missing[*]})"
}

# kvm only with hardware virtualization (vmx/svm) and a writable /dev/kvm; else tcg. On the Firecracker build
# machines /dev/kvm is nested PVM (kvm_pvm, no vmx): qemu accepts -accel kvm there, but a stock Debian kernel
# never gets past its decompressor, so tcg is the default. Overridable with VM_ACCEL=kvm|tcg.
pick_accel() {
  if [ -n "${VM_ACCEL:-}" ]; then echo "$VM_ACCEL"; return; fi
  if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then echo kvm; else echo tcg; fi
}

vm_dir() { echo "$RUN_DIR/$1"; }
vm_port() { cat "$(vm_dir "$1")/ssh_port" 2>/dev/null; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
