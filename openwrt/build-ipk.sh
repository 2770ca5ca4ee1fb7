#!/usr/bin/env bash
# Builds telemute_<version>_<arch>.ipk the way OpenWrt's scripts/ipkg-build
# does: a gzip'ed GNU tar of ./debian-binary ./data.tar.gz ./control.tar.gz.
#
#   openwrt/build-ipk.sh ARCH [OUTDIR]
#     ARCH    OpenWrt package arch: aarch64_generic, aarch64_cortex-a53, x86_64 ...
#     OUTDIR  where the .ipk goes (default: dist/openwrt)
#
# Environment:
#   SOURCE_DATE_EPOCH  mtime of every file (default: last commit, else 0)
#   TELEMUTE_BUNDLE    the bundle to ship (default: dist/telemute.mjs, built
#                      with `node build.mjs` when missing)
#   TELEMUTE_CACHE     where `npm pack` keeps the lmdb tarballs (default: .cache/openwrt)
#   TELEMUTE_STRIP     strip tool for the lmdb addon (default: llvm-strip; `none` to skip)
#
# Two runs with the same inputs give byte-identical files
# (test/openwrt/ipk.test.ts).
set -euo pipefail

die() { echo "build-ipk: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $0 ARCH [OUTDIR]"
ARCH="$1"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OUTDIR="${2:-$ROOT/dist/openwrt}"
CACHE="${TELEMUTE_CACHE:-$ROOT/.cache/openwrt}"

# lmdb-js ships musl prebuilds for arm64 and x64 only (none for 32-bit arm or
# MIPS); OpenWrt's node has no MIPS build since 24.10 either.
LMDB_VERSION=3.5.6
case "$ARCH" in
aarch64_*)
	LMDB_ARCH=arm64
	LMDB_INTEGRITY='sha512-HmiyFFdJa38s1heCMSooSPaBSFTHJ3C+ERPp28xAPlDX1YiALJVOgbry065nXd8Y7KISWjnw05zpG1RX8IfftA=='
	;;
x86_64)
	LMDB_ARCH=x64
	LMDB_INTEGRITY='sha512-ADzCuCF2cTNiX9kDScqcz1fjnAkxPpQNneV3KFTdV3wWtVlI2sTGzySoMTgDpinkMMFj1NTJlxA6XR8fwc4hlA=='
	;;
*) die "unsupported arch '$ARCH' (aarch64_* or x86_64)" ;;
esac

VERSION="$(node -p "require('$ROOT/package.json').version")"
[[ "$VERSION" =~ ^[a-zA-Z0-9_.+~-]+$ ]] || die "bad version '$VERSION'"
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH="$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || true)"
	SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-0}"
fi
export SOURCE_DATE_EPOCH

BUNDLE="${TELEMUTE_BUNDLE:-$ROOT/dist/telemute.mjs}"
if [ ! -f "$BUNDLE" ]; then
	[ -z "${TELEMUTE_BUNDLE:-}" ] || die "no bundle at $BUNDLE"
	[ -f "$ROOT/build.mjs" ] || die "no dist/telemute.mjs and no build.mjs to make it"
	(cd "$ROOT" && node build.mjs)
	[ -f "$BUNDLE" ] || die "node build.mjs did not write $BUNDLE"
fi

# The lmdb prebuild, fetched once with npm pack and checked against the
# registry integrity of 3.5.6 (pinned here, so a changed tarball fails).
mkdir -p "$CACHE"
TGZ="$CACHE/lmdb-lmdb-linux-$LMDB_ARCH-$LMDB_VERSION.tgz"
if [ ! -f "$TGZ" ]; then
	(cd "$CACHE" && npm pack --silent "@lmdb/lmdb-linux-$LMDB_ARCH@$LMDB_VERSION" >/dev/null)
	[ -f "$TGZ" ] || die "npm pack did not write $TGZ"
fi
GOT="sha512-$(node -e "process.stdout.write(require('crypto').createHash('sha512').update(require('fs').readFileSync(process.argv[1])).digest('base64'))" "$TGZ")"
[ "$GOT" = "$LMDB_INTEGRITY" ] || { rm -f "$TGZ"; die "$TGZ: integrity $GOT, want $LMDB_INTEGRITY"; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DATA="$WORK/data"
CTRL="$WORK/control"
mkdir -p "$DATA" "$CTRL"

put() { # put MODE SRC DEST(relative to package root)
	install -D -m "$1" "$2" "$DATA/$3"
}
put 0644 "$BUNDLE" usr/lib/telemute/telemute.mjs
tar -xzOf "$TGZ" package/node.napi.musl.node >"$WORK/node.napi.musl.node"
# The npm build keeps DWARF: 3.4 MB, 1.0 MB without (flash is the scarce thing
# on a router). llvm-strip handles both arches on an x86-64 host; GNU strip
# only its own. Same llvm-strip version, same bytes.
STRIP="${TELEMUTE_STRIP:-$(command -v llvm-strip || true)}"
if [ -n "$STRIP" ] && [ "$STRIP" != none ]; then
	"$STRIP" --strip-debug "$WORK/node.napi.musl.node"
else
	echo "build-ipk: llvm-strip not found, shipping lmdb with debug info (+2.4 MB)" >&2
fi
put 0644 "$WORK/node.napi.musl.node" "usr/lib/telemute/prebuilds/linux-$LMDB_ARCH/node.napi.musl.node"
put 0755 "$HERE/files/telemute-dnsmasq.sh" usr/lib/telemute/telemute-dnsmasq.sh
put 0755 "$HERE/files/telemute.init" etc/init.d/telemute
put 0600 "$HERE/files/telemute.config" etc/config/telemute
put 0644 "$HERE/files/telemute.defaults" etc/uci-defaults/telemute
put 0644 "$HERE/files/telemute.keep" lib/upgrade/keep.d/telemute
find "$DATA" -type d -exec chmod 0755 {} +

# Same flags as ipkg-build, plus a fixed mtime and owner for reproducibility.
TAR=(tar --format=gnu --numeric-owner --owner=0 --group=0 --sort=name --mtime="@$SOURCE_DATE_EPOCH")
"${TAR[@]}" -C "$DATA" -cf "$WORK/data.tar" .
INSTALLED_SIZE="$(stat -c %s "$WORK/data.tar")"
gzip -n <"$WORK/data.tar" >"$WORK/data.tar.gz"

cat >"$CTRL/control" <<EOF
Package: telemute
Version: $VERSION
Depends: libc, node, libstdcpp, libgcc
Source: telemute
SourceName: telemute
License: GPL-2.0-only
Section: net
SourceDateEpoch: $SOURCE_DATE_EPOCH
Maintainer: telemute developers
Architecture: $ARCH
Installed-Size: $INSTALLED_SIZE
Description:  Per-device telemetry blocking DNS forwarder. Sits behind dnsmasq,
 which forwards to it with the client's MAC address; fails open to dnsmasq's
 own upstreams when it stops.
EOF
echo /etc/config/telemute >"$CTRL/conffiles"
for s in postinst prerm; do
	cat >"$CTRL/$s" <<EOF
#!/bin/sh
[ "\${IPKG_NO_SCRIPT}" = "1" ] && exit 0
[ -s \${IPKG_INSTROOT}/lib/functions.sh ] || exit 0
. \${IPKG_INSTROOT}/lib/functions.sh
default_$s \$0 \$@
EOF
	install -m 0755 "$HERE/files/$s-pkg" "$CTRL/$s-pkg"
	chmod 0755 "$CTRL/$s"
done
chmod 0644 "$CTRL/control" "$CTRL/conffiles"
chmod 0755 "$CTRL"
"${TAR[@]}" -C "$CTRL" -cf - . | gzip -n >"$WORK/control.tar.gz"

printf '2.0\n' >"$WORK/debian-binary"
chmod 0644 "$WORK/debian-binary" "$WORK/data.tar.gz" "$WORK/control.tar.gz"
mkdir -p "$OUTDIR"
OUT="$OUTDIR/telemute_${VERSION}_${ARCH}.ipk"
"${TAR[@]}" -C "$WORK" -cf - ./debian-binary ./data.tar.gz ./control.tar.gz | gzip -n >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$OUT"
