#!/usr/bin/env bash
# Build (or reuse) the lab's bootable Debian bookworm image, from Debian's repositories only.
#
# usage: build-image.sh [--force]      prints the image directory on stdout
#
# Output in $IMAGE_DIR = $JPLAY_LAB_CACHE/<hash of this script + packages.txt> (see common.sh):
#   rootfs.img    raw ext4 filesystem (no partition table) -> root=/dev/vda; booted read-only through overlays
#   vmlinuz       the image's own linux-image-amd64 kernel (boot with -kernel), initrd.img its small initramfs
#   id_ed25519    ssh key of root, jplay (NOPASSWD sudo) and jplaypw (sudo asks for password "jplaypw")
# The image is reused when it exists (built under a lock, published by rename, so a half-built one is never used).
#
# Environment: JPLAY_LAB_CACHE, DEBIAN_MIRROR (default http://deb.debian.org/debian),
#              IMAGE_EXTRA_MB (free space added to the filesystem, default 1536)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1
if [ -f "$IMAGE_DIR/rootfs.img" ] && [ "$FORCE" -eq 0 ]; then
  log "image cached: $IMAGE_DIR"
  echo "$IMAGE_DIR"
  exit 0
fi
need_root
need_cmds debootstrap:debootstrap mkfs.ext4:e2fsprogs ssh-keygen:openssh-client

MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
EXTRA_MB="${IMAGE_EXTRA_MB:-1536}"
mkdir -p "$JPLAY_LAB_CACHE"
# One build at a time per cache; a second caller waits and then finds the image.
exec 8>"$JPLAY_LAB_CACHE/.build.lock"
flock 8
if [ -f "$IMAGE_DIR/rootfs.img" ] && [ "$FORCE" -eq 0 ]; then
  log "image cached: $IMAGE_DIR (built by a concurrent run)"
  echo "$IMAGE_DIR"
  exit 0
fi
BUILD="$IMAGE_DIR.building"
ROOTFS="$BUILD/rootfs"
mapfile -t PACKAGES < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$HERE/packages.txt")

START=$(date +%s)
umount_chroot() {
  local m
  for m in "$ROOTFS/dev/pts" "$ROOTFS/dev" "$ROOTFS/sys" "$ROOTFS/proc"; do
    mountpoint -q "$m" 2>/dev/null && umount -l "$m" || true
  done
}
trap umount_chroot EXIT

umount_chroot
rm -rf "$BUILD"
mkdir -p "$ROOTFS"
SSH_KEY="$BUILD/id_ed25519"

log "debootstrap $SUITE from $MIRROR (${#PACKAGES[@]} packages + minbase) into $BUILD"
debootstrap --variant=minbase --components=main \
  --include="$(IFS=,; echo "${PACKAGES[*]}")" \
  "$SUITE" "$ROOTFS" "$MIRROR" > "$BUILD/debootstrap.log" 2>&1 \
  || { tail -40 "$BUILD/debootstrap.log" >&2; die "debootstrap failed (log: $BUILD/debootstrap.log)"; }
log "debootstrap done in $(( $(date +%s) - START ))s"

in_chroot() { chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

# --- base configuration -------------------------------------------------------
echo jplay-vm > "$ROOTFS/etc/hostname"
cat > "$ROOTFS/etc/hosts" <<'EOT'
127.0.0.1 localhost
::1       localhost ip6-localhost ip6-loopback
EOT
cat > "$ROOTFS/etc/fstab" <<'EOT'
/dev/vda   /      ext4  defaults,noatime,errors=remount-ro  0 1
/swapfile  none   swap  sw                                  0 0
EOT
# A small swap file so that "swapoff -a" and fstab swap editing have something to act on.
# (random data: mkfs.ext4 -d would turn zero blocks into holes, and swapon refuses holes)
dd if=/dev/urandom of="$ROOTFS/swapfile" bs=1M count=64 status=none
chmod 600 "$ROOTFS/swapfile"
mkswap "$ROOTFS/swapfile" >/dev/null

# Network: NIC 1 is qemu user-mode networking (fixed MAC set by boot.sh), static address.
mkdir -p "$ROOTFS/etc/systemd/network"
cat > "$ROOTFS/etc/systemd/network/10-slirp.network" <<'EOT'
[Match]
MACAddress=52:54:00:12:34:56

[Network]
Address=10.0.2.15/24
Gateway=10.0.2.2
LinkLocalAddressing=no
IPv6AcceptRA=no
EOT
# NIC 2 (optional, multi-node private segment): address comes from the kernel
# command line "jplay.net2=192.168.100.11/24" (set by boot.sh --net2).
cat > "$ROOTFS/usr/local/sbin/jplay-net2" <<'EOT'
#!/bin/sh
# Configure the private multi-node NIC from the kernel command line.
addr=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^jplay\.net2=//p')
[ -n "$addr" ] || exit 0
mkdir -p /run/systemd/network
cat > /run/systemd/network/20-net2.network <<EON
[Match]
MACAddress=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^jplay\.net2mac=//p')

[Network]
Address=$addr
LinkLocalAddressing=no
IPv6AcceptRA=no
EON
EOT
chmod 755 "$ROOTFS/usr/local/sbin/jplay-net2"
cat > "$ROOTFS/etc/systemd/system/jplay-net2.service" <<'EOT'
[Unit]
Description=jplay lab: private NIC address from kernel command line
DefaultDependencies=no
Before=systemd-networkd.service
After=local-fs.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/jplay-net2

[Install]
WantedBy=sysinit.target
EOT
# Hostname from kernel command line (systemd.hostname=) is handled by systemd itself.
: > "$ROOTFS/etc/resolv.conf"

in_chroot systemctl enable systemd-networkd.service jplay-net2.service >/dev/null 2>&1
# Units that only cost boot time in a throw-away test VM.
for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
         fstrim.timer systemd-networkd-wait-online.service man-db.timer; do
  in_chroot systemctl mask "$u" >/dev/null 2>&1 || true
done

# --- users and ssh -------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C jplay-lab -f "$SSH_KEY"
install -d -m 700 "$ROOTFS/root/.ssh"
install -m 600 "$SSH_KEY.pub" "$ROOTFS/root/.ssh/authorized_keys"

# "jplay": passwordless sudo (become without password).
in_chroot useradd -m -s /bin/bash jplay
install -d -m 700 "$ROOTFS/home/jplay/.ssh"
install -m 600 "$SSH_KEY.pub" "$ROOTFS/home/jplay/.ssh/authorized_keys"
in_chroot chown -R jplay:jplay /home/jplay/.ssh
echo 'jplay ALL=(ALL) NOPASSWD:ALL' > "$ROOTFS/etc/sudoers.d/jplay"
# "jplaypw": sudo that asks for a password (become_pass tests); password "jplaypw".
in_chroot useradd -m -s /bin/bash -G sudo jplaypw
echo 'jplaypw:jplaypw' | in_chroot chpasswd
install -d -m 700 "$ROOTFS/home/jplaypw/.ssh"
install -m 600 "$SSH_KEY.pub" "$ROOTFS/home/jplaypw/.ssh/authorized_keys"
in_chroot chown -R jplaypw:jplaypw /home/jplaypw/.ssh
chmod 440 "$ROOTFS/etc/sudoers.d/jplay"

cat > "$ROOTFS/etc/ssh/sshd_config.d/jplay.conf" <<'EOT'
PermitRootLogin prohibit-password
PasswordAuthentication no
UseDNS no
MaxStartups 100:30:200
MaxSessions 100
EOT

# --- dnf on Debian ---------------------------------------------------------------
# No system-release rpm exists, so dnf cannot detect $releasever by itself.
mkdir -p "$ROOTFS/etc/dnf/vars" "$ROOTFS/etc/yum.repos.d"
echo 8 > "$ROOTFS/etc/dnf/vars/releasever"
# Same [main] defaults as CentOS Stream 8 (Debian ships best=False,
# skip_if_unavailable=True); module_platform_id makes dnf modules work without
# a PLATFORM_ID in /etc/os-release.
cat > "$ROOTFS/etc/dnf/dnf.conf" <<'EOT'
[main]
gpgcheck=1
installonly_limit=3
clean_requirements_on_remove=True
best=True
skip_if_unavailable=False
module_platform_id=platform:el8
EOT

# --- kernel + initrd out of the image ---------------------------------------------
KVER=$(basename "$(ls -d "$ROOTFS"/lib/modules/* | sort -V | tail -1)")
# Small initramfs with only what root=/dev/vda on virtio needs: 6 MB instead of
# 36 MB, about 3 s faster to boot under TCG. INITRD_MODULES=most keeps Debian's default.
if [ "${INITRD_MODULES:-list}" = list ]; then
  printf 'virtio_pci\nvirtio_blk\next4\n' >> "$ROOTFS/etc/initramfs-tools/modules"
  echo 'MODULES=list' > "$ROOTFS/etc/initramfs-tools/conf.d/jplay.conf"
  mount --bind /proc "$ROOTFS/proc"
  mount --bind /sys "$ROOTFS/sys"
  mount --bind /dev "$ROOTFS/dev"
  in_chroot update-initramfs -u -k "$KVER" >/dev/null 2>&1
  umount_chroot
fi
cp "$ROOTFS/boot/vmlinuz-$KVER" "$BUILD/vmlinuz"
cp "$ROOTFS/boot/initrd.img-$KVER" "$BUILD/initrd.img"
echo "$KVER" > "$BUILD/kernel-version"

# --- slim down ------------------------------------------------------------------
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
       "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/locale/*
umount_chroot

# --- filesystem image -------------------------------------------------------------
USED_MB=$(du -sm "$ROOTFS" | cut -f1)
SIZE_MB=$(( USED_MB * 12 / 10 + EXTRA_MB ))
rm -f "$BUILD/rootfs.img"
mkfs.ext4 -q -L jplayroot -d "$ROOTFS" "$BUILD/rootfs.img" "${SIZE_MB}M" >&2  # stdout is the image dir
rm -rf "$ROOTFS"

mv "$BUILD/debootstrap.log" "$BUILD/build.log"
rm -rf "$IMAGE_DIR"
mv "$BUILD" "$IMAGE_DIR"
END=$(date +%s)
log "image built in $(( END - START ))s: rootfs ${USED_MB} MiB used, filesystem ${SIZE_MB} MiB," \
    "on disk $(du -sm "$IMAGE_DIR/rootfs.img" | cut -f1) MiB (sparse), kernel $(cat "$IMAGE_DIR/kernel-version")"
echo "$IMAGE_DIR"
