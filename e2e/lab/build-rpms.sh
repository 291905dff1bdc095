#!/usr/bin/env bash
# Build the stand-in RPMs (rpms/*.spec) and two dnf repositories from them.
#
# usage: build-rpms.sh
# Output in $REPO_DIR = $JPLAY_LAB_RUN/rpmrepo (default /tmp/jplay-lab/rpmrepo); push-repo.sh copies it to
# /opt/jplay-repo in a VM, where dnf reads it through file:// baseurls (the guest has no network):
#   base/      crun-standin 1.8.7, cri-o-standin 1.28.1 (requires crun-standin),
#              kubelet-standin 1.28.0 and 1.28.2
#   modular/   cri-o-module-standin 1.27.4 / 1.28.1 in module streams cri-o:1.27 / cri-o:1.28
#   jplay-local.repo   a ready repo file for /etc/yum.repos.d (the e2e tests write theirs with yum_repository)
# What to build is declared in each spec: one line "# lab-build: VERSION DIST REPO" per package version
# (REPO = base or modular). A new stand-in package is one new rpms/*.spec file, nothing else.
# The modular repository also gets rpms/modules.yaml as its module metadata.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"

need_cmds rpmbuild:rpm createrepo_c:createrepo-c modifyrepo_c:createrepo-c

TOP="$JPLAY_LAB_RUN/rpmbuild"
rm -rf "$TOP" "$REPO_DIR"
mkdir -p "$TOP"/{BUILD,BUILDROOT,RPMS,SOURCES,SPECS,SRPMS} "$REPO_DIR/base" "$REPO_DIR/modular"

build() { # spec version dist
  # gzip payload so that EL8's rpm 4.14 could read the packages too
  rpmbuild -bb --quiet \
    --define "_topdir $TOP" \
    --define "dist $3" \
    --define "pkgversion $2" \
    --define "_binary_payload w9.gzdio" \
    --define "_build_id_links none" \
    "$HERE/rpms/$1.spec" >&2
}
n=0
for spec in "$HERE"/rpms/*.spec; do
  name=$(basename "$spec" .spec)
  while read -r _ _ version dist repo; do
    case "$repo" in base|modular) ;; *) die "$spec: lab-build line needs REPO base or modular, got '$repo'";; esac
    build "$name" "$version" "$dist"
    find "$TOP/RPMS" -name '*.rpm' -exec mv {} "$REPO_DIR/$repo/" \;
    n=$((n + 1))
  done < <(grep '^# lab-build:' "$spec")
done
[ "$n" -gt 0 ] || die "no '# lab-build:' lines in $HERE/rpms/*.spec"
createrepo_c --quiet "$REPO_DIR/base" >&2
createrepo_c --quiet "$REPO_DIR/modular" >&2
modifyrepo_c --mdtype=modules "$HERE/rpms/modules.yaml" "$REPO_DIR/modular/repodata" >&2
cat > "$REPO_DIR/jplay-local.repo" <<'EOT'
[jplay-local]
name=jplay local stand-in packages
baseurl=file:///opt/jplay-repo/base
enabled=1
gpgcheck=0

[jplay-modular]
name=jplay local stand-in modules
baseurl=file:///opt/jplay-repo/modular
enabled=1
gpgcheck=0
EOT
rm -rf "$TOP"
log "$n packages in $REPO_DIR:"
(cd "$REPO_DIR" && find . -name '*.rpm' -o -name '*.repo' | sort) >&2
