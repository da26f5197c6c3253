#!/usr/bin/env bash
# Builds the two base images of Vigil's container images from Debian packages, without a
# container engine: mmdebstrap makes the root file system, umoci turns it into an OCI image,
# skopeo writes that as a `docker save` tarball, which Jib takes as its base (tar://...).
#   vigil-base-jre.tar      Debian + openjdk-17-jre-headless, user vigil (10001)
#   vigil-base-busybox.tar  busybox-static alone (sh, cp): the agent image's base
# Packages come from the Debian sources this machine's apt uses (/etc/apt/sources.list*), for
# the suite this machine runs. Needs root (mmdebstrap's root mode) and the Debian packages
# mmdebstrap, umoci, skopeo. A base that exists is kept: delete it to build it again.
# Usage: deploy/images/build-base.sh [OUTPUT_DIR]   (default deploy/images/target)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(mkdir -p "${1:-$here/target}" && cd "${1:-$here/target}" && pwd)"
for tool in mmdebstrap umoci skopeo; do
  command -v "$tool" >/dev/null || { echo "$tool missing: apt-get install -y mmdebstrap umoci skopeo" >&2; exit 2; }
done
. /etc/os-release
suite="${VIGIL_DEBIAN_SUITE:-$VERSION_CODENAME}"
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -s "$f" ] && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] || { echo "no apt sources found under /etc/apt" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Documentation and translations are not needed at run time; copyright files stay.
slim=(--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*'
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
      --dpkgopt='path-exclude=/usr/share/info/*')

# Wraps a root file system directory into an image and saves it as NAME:TAG in a tarball.
to_image() {  # rootfs-builder name tag tarball
  local build="$1" name="$2" tag="$3" tar="$4" dir
  dir="$work/${name//\//-}"
  mkdir -p "$dir"
  umoci init --layout "$dir/oci"
  umoci new --image "$dir/oci:$tag"
  umoci unpack --image "$dir/oci:$tag" "$dir/bundle" >/dev/null
  "$build" "$dir/bundle/rootfs"
  umoci repack --image "$dir/oci:$tag" "$dir/bundle"
  umoci config --image "$dir/oci:$tag" \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.user 10001:10001 --config.workingdir / --author vigil
  rm -f "$tar.tmp"
  skopeo copy --quiet "oci:$dir/oci:$tag" "docker-archive:$tar.tmp:$name:$tag"
  mv "$tar.tmp" "$tar"
  echo "built $tar ($name:$tag, $(du -h "$tar" | cut -f1))"
}

jre_rootfs() {
  # update-alternatives links java.1.gz under man1 even with man pages excluded.
  mmdebstrap --quiet --variant=minbase --include=openjdk-17-jre-headless "${slim[@]}" \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='chroot "$1" groupadd --gid 10001 vigil' \
    --customize-hook='chroot "$1" useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vigil' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
    "$suite" "$1" "${sources[@]}" </dev/null
}

busybox_rootfs() {
  # extract: unpack busybox-static only, no Essential set, no dpkg database. mmdebstrap runs
  # no customize hooks for this variant, so the rest is done on the directory afterwards.
  mmdebstrap --quiet --variant=extract --include=busybox-static "${slim[@]}" \
    "$suite" "$1" "${sources[@]}" </dev/null
  rm -rf "$1/etc/apt" "$1/etc/dpkg" "$1/var"
  for t in sh cp ls cat mkdir; do ln -s busybox "$1/bin/$t"; done
  mkdir -p "$1/tmp" "$1/etc" && chmod 1777 "$1/tmp"
  printf 'root:x:0:0::/root:/bin/sh\nvigil:x:10001:10001::/nonexistent:/bin/false\n' > "$1/etc/passwd"
  printf 'root:x:0:\nvigil:x:10001:\n' > "$1/etc/group"
}

[ -f "$out/vigil-base-jre.tar" ] || to_image jre_rootfs vigil/base-jre 17 "$out/vigil-base-jre.tar"
[ -f "$out/vigil-base-busybox.tar" ] || to_image busybox_rootfs vigil/base-busybox 1 "$out/vigil-base-busybox.tar"
