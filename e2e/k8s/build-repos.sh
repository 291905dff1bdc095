#!/usr/bin/env bash
# Build the stand-in package repositories of the Kubernetes lab, laid out like the real ones, under
# $K8S_REPO (default $VMLAB/k8s-repo, VMLAB default /tmp/vmlab); the lab copies the tree to /opt/k8s-repo in
# the guest and points the playbook's repository base URLs there (file://):
#
#   pkgs.k8s.io/core:/stable:/v1.30/rpm/         kubelet, kubeadm, kubectl 1.30.4 and 1.30.5, cri-tools 1.30.1,
#                                                kubernetes-cni 1.4.0; signed, key in repodata/repomd.xml.key
#   pkgs.k8s.io/addons:/cri-o:/stable:/v1.30/rpm/  cri-o 1.30.4; signed the same way
#   el8/BaseOS/  iproute-tc      el8/AppStream/  crun, container-selinux   (the OS's own repositories)
#   el8.repo     the repo file for the OS repositories (/etc/yum.repos.d/ in the guest)
#
# The packages have the real names, so the playbook installs them unchanged. Their programs are stand-ins
# (standins/): kubeadm and kubectl check what they are given and record it; crio and kubelet are services
# that sleep. Signed with a throw-away key so that the playbook's gpgcheck=1 and gpgkey are exercised too.
# usage: build-repos.sh        (needs rpmbuild, rpmsign, gpg, createrepo_c; root is not needed)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VMLAB="${VMLAB:-/tmp/vmlab}"
OUT="${K8S_REPO:-$VMLAB/k8s-repo}"
K8S_MINOR=1.30
for c in rpmbuild rpmsign gpg createrepo_c; do
  command -v "$c" >/dev/null || { echo "error: $c is missing (apt-get install rpm gnupg createrepo-c)" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'gpgconf --homedir "$WORK/gnupg" --kill all 2>/dev/null || true; rm -rf "$WORK"' EXIT
rm -rf "$OUT"
CORE="$OUT/pkgs.k8s.io/core:/stable:/v$K8S_MINOR/rpm"
CRIO="$OUT/pkgs.k8s.io/addons:/cri-o:/stable:/v$K8S_MINOR/rpm"
mkdir -p "$CORE" "$CRIO" "$OUT/el8/BaseOS" "$OUT/el8/AppStream" "$WORK/top"

# stage NAME VERSION: a fresh tree for one package; files are added with put, then pkg builds it.
stage() { NAME=$1; VERSION=$2; TREE="$WORK/tree-$1-$2"; LIST="$WORK/list-$1-$2"; rm -rf "$TREE"; : > "$LIST"; }
# put SOURCE DEST MODE [config]: SOURCE with @NAME@/@VERSION@ filled in, at DEST in the package
put() {
  mkdir -p "$TREE$(dirname "$2")"
  sed -e "s/@NAME@/$NAME/g" -e "s/@VERSION@/$VERSION/g" "$1" > "$TREE$2"
  chmod "$3" "$TREE$2"
  if [ "${4:-}" = config ]; then echo "%config(noreplace) $2" >> "$LIST"; else echo "$2" >> "$LIST"; fi
}
# pkg RELEASE DESTDIR [REQUIRES]
pkg() {
  local args=(--define "_topdir $WORK/top" --define "pkgname $NAME" --define "pkgversion $VERSION"
              --define "pkgrelease $1" --define "payload $TREE" --define "filelist $LIST"
              --define "_binary_payload w9.gzdio" --define "_build_id_links none")
  [ -n "${3:-}" ] && args+=(--define "pkgrequires $3")
  rpmbuild -bb --quiet "${args[@]}" "$HERE/rpm/standin.spec" >&2
  find "$WORK/top/RPMS" -name '*.rpm' -exec mv {} "$2/" \;
}

for v in 1.30.4 1.30.5; do
  stage kubelet $v; put "$HERE/standins/version.sh" /usr/bin/kubelet 755
  put "$HERE/standins/service.unit" /usr/lib/systemd/system/kubelet.service 644
  pkg 150500.1.1 "$CORE" "kubernetes-cni >= 1.2.0"
  stage kubeadm $v; put "$HERE/standins/kubeadm" /usr/bin/kubeadm 755; pkg 150500.1.1 "$CORE" "cri-tools >= 1.30.0"
  stage kubectl $v; put "$HERE/standins/kubectl" /usr/bin/kubectl 755; pkg 150500.1.1 "$CORE"
done
stage cri-tools 1.30.1; put "$HERE/standins/version.sh" /usr/bin/crictl 755; pkg 150500.1.1 "$CORE"
stage kubernetes-cni 1.4.0; put "$HERE/standins/version.sh" /opt/cni/bin/bridge 755; pkg 150500.1.1 "$CORE"
stage cri-o 1.30.4; put "$HERE/standins/version.sh" /usr/bin/crio 755
put "$HERE/standins/service.unit" /usr/lib/systemd/system/crio.service 644
put "$HERE/standins/10-crio.conf" /etc/crio/crio.conf.d/10-crio.conf 644 config
pkg 150500.1.1 "$CRIO"
# The OS's packages: only files Debian's own packages do not own (rpm would overwrite them: it knows no dpkg).
stage iproute-tc 6.2.0; put "$HERE/standins/version.sh" /usr/libexec/iproute-tc-standin 755; pkg 1.el8 "$OUT/el8/BaseOS"
stage crun 1.14.4; put "$HERE/standins/version.sh" /usr/bin/crun 755; pkg 1.el8 "$OUT/el8/AppStream"
stage container-selinux 2.229.0; put "$HERE/standins/version.sh" /usr/share/container-selinux/standin 644
pkg 1.el8 "$OUT/el8/AppStream"

# Sign the pkgs.k8s.io packages as the real repositories do, and publish the key where they do.
export GNUPGHOME="$WORK/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'jplay k8s lab <lab@jplay.invalid>' rsa2048 sign never 2>/dev/null
GPG_TTY= rpmsign --addsign --define "__gpg $(command -v gpg)" --define "_gpg_name jplay k8s lab" "$CORE"/*.rpm "$CRIO"/*.rpm >/dev/null
for r in "$CORE" "$CRIO" "$OUT/el8/BaseOS" "$OUT/el8/AppStream"; do createrepo_c --quiet "$r" >&2; done
for r in "$CORE" "$CRIO"; do gpg --batch --armor --export 'jplay k8s lab' > "$r/repodata/repomd.xml.key"; done

cat > "$OUT/el8.repo" <<'EOT'
# The lab's stand-ins for the OS repositories (EL8 BaseOS and AppStream).
[baseos]
name=BaseOS (jplay lab stand-in)
baseurl=file:///opt/k8s-repo/el8/BaseOS
gpgcheck=0
enabled=1

[appstream]
name=AppStream (jplay lab stand-in)
baseurl=file:///opt/k8s-repo/el8/AppStream
gpgcheck=0
enabled=1
EOT
(cd "$OUT" && find . -name '*.rpm' | sort) >&2
