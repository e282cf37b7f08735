#!/usr/bin/env bash
# scripts/package/build-pkgtools.sh — build OpenWrt's real packaging tools from the
# sources pinned in scripts/package/upstream.tsv, into <repo>/.cache/pkgtools:
#
#   bin/apk          apk-tools v3 (OpenWrt 25.12's package manager; `apk mkpkg` makes .apk)
#   bin/opkg         opkg-lede (OpenWrt 24.10's package manager), libubox linked in
#   bin/po2lmo       LuCI's translation compiler (luci-base/src, as luci.mk's i18n packages use)
#   openwrt/ipkg-build, openwrt/functions.sh
#                    OpenWrt's scripts/ipkg-build and base-files' /lib/functions.sh
#
# stdout: exactly one line, the absolute path of that directory. Progress goes to stderr.
#
# Sources, as scripts/platform/build.sh takes them:
#   OPENWRT_UPSTREAM=DIR  DIR holds <name>-<commit first 12>.tar.gz (one top directory each)
#                         and openwrt-files.tar.gz (the two OpenWrt files);
#   unset                 git clone each URL at the pinned commit; the two OpenWrt files come
#                         from openwrt.git's main branch and must match the sha256 pinned below.
# Other env: PKGTOOLS_CACHE (default <repo>/.cache/pkgtools), PKGTOOLS_REBUILD=1.
#
# Idempotent: a stamp holds a hash of upstream.tsv and this script; when it matches,
# the run is a no-op. Nothing of upstream is modified. It also installs Debian's busybox-static,
# the /bin/sh of the package tests' scratch roots (test/package/roots.ts).
set -euo pipefail

log() { printf 'pkgtools: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd -P)
TSV="$SCRIPT_DIR/upstream.tsv"
CACHE="${PKGTOOLS_CACHE:-$ROOT/.cache/pkgtools}"
case "$CACHE" in /*) ;; *) CACHE="$PWD/$CACHE" ;; esac
STAMP="$CACHE/stamp"
JOBS=$(nproc 2>/dev/null || echo 2)

# The two files of openwrt/openwrt the tests use (by content: the tarball has no commit).
IPKG_BUILD_SHA256=68f37a86b21ea5b8d765a42e9c08ce3ce87a925d99dc3114273730320aa3e5e1
FUNCTIONS_SH_SHA256=099d509e69aa2985e7d40938919f52d54d36455b4380c158d3f20b41fdc00bfd

key=$(cat "$TSV" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-64)
ready() {
    [ "${PKGTOOLS_REBUILD:-0}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$key" ] &&
        [ -x "$CACHE/bin/apk" ] && [ -x "$CACHE/bin/opkg" ] && [ -x "$CACHE/bin/po2lmo" ]
}
if ready; then printf '%s\n' "$CACHE"; exit 0; fi

mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9
if ready; then printf '%s\n' "$CACHE"; exit 0; fi  # built by whoever held the lock

T0=$(date +%s)
rm -f "$STAMP"
debs=(build-essential cmake pkg-config libjson-c-dev meson ninja-build libssl-dev zlib1g-dev busybox-static)
[ -n "${OPENWRT_UPSTREAM:-}" ] || debs+=(git ca-certificates)
"$ROOT/scripts/ensure-debs.sh" "${debs[@]}" >&2

UPSTREAM_DIR=
if [ -n "${OPENWRT_UPSTREAM:-}" ]; then
    case "$OPENWRT_UPSTREAM" in /*) UPSTREAM_DIR=$OPENWRT_UPSTREAM ;; *) UPSTREAM_DIR="$PWD/$OPENWRT_UPSTREAM" ;; esac
    [ -d "$UPSTREAM_DIR" ] || die "OPENWRT_UPSTREAM=$OPENWRT_UPSTREAM is not a directory"
fi

declare -A URL COMMIT
while IFS=$'\t' read -r name url commit; do
    [ "$name" = name ] || [ -z "$name" ] && continue
    [[ "$commit" =~ ^[0-9a-f]{40}$ ]] || die "upstream.tsv: bad commit for $name: $commit"
    URL[$name]=$url
    COMMIT[$name]=$commit
done <"$TSV"

BUILD="$CACHE/build"
rm -rf "$BUILD" "$CACHE/bin" "$CACHE/openwrt"
mkdir -p "$BUILD" "$CACHE/src" "$CACHE/bin" "$CACHE/openwrt"

# unpack_tgz TARBALL DEST — the tarball's single top directory becomes DEST
unpack_tgz() {
    local tmp="$BUILD/.x" top
    rm -rf "$tmp" && mkdir -p "$tmp"
    tar -xzf "$1" -C "$tmp" || die "cannot unpack $1"
    top=$(find "$tmp" -mindepth 1 -maxdepth 1)
    [ "$(printf '%s\n' "$top" | wc -l)" = 1 ] && [ -d "$top" ] || die "$1: expected exactly one top directory"
    mv "$top" "$2" && rmdir "$tmp"
}

# fetch_src NAME [PATH…] → prints a fresh source directory under $BUILD (only PATHs in git mode)
fetch_src() {
    local name=$1 commit=${COMMIT[$1]:-} dest="$BUILD/$1"
    shift
    [ -n "$commit" ] || die "$name is not in upstream.tsv"
    if [ -n "$UPSTREAM_DIR" ]; then
        local tgz="$UPSTREAM_DIR/$name-${commit:0:12}.tar.gz"
        [ -f "$tgz" ] || die "missing $tgz"
        unpack_tgz "$tgz" "$dest"
    else
        local mirror="$CACHE/src/$name.git"
        if [ ! -d "$mirror" ]; then
            log "git clone ${URL[$name]}"
            git clone --quiet --bare --filter=blob:none "${URL[$name]}" "$mirror.tmp" >&2 || die "git clone ${URL[$name]} failed"
            mv "$mirror.tmp" "$mirror"
        fi
        git --git-dir="$mirror" cat-file -e "$commit^{commit}" 2>/dev/null ||
            git --git-dir="$mirror" fetch --quiet origin "$commit" >&2 || die "$name: commit $commit not found"
        mkdir -p "$dest"
        git --git-dir="$mirror" archive --format=tar "$commit" "$@" | tar -xf - -C "$dest" || die "$name: cannot export $commit"
    fi
    printf '%s\n' "$dest"
}

# --- apk-tools v3 (meson, as upstream builds it; libapk linked statically) ----------
src=$(fetch_src apk-tools)
log "building apk-tools $(cat "$src/VERSION")"
meson setup "$src/build" "$src" --buildtype=release -Ddefault_library=static -Dzstd=disabled \
    -Dlua=disabled -Dpython=disabled -Ddocs=disabled -Dhelp=disabled -Dtests=disabled \
    -Durl_backend=wget -Dcrypto_backend=openssl >"$BUILD/apk-tools.log" 2>&1 || { cat "$BUILD/apk-tools.log" >&2; die "apk-tools: meson setup failed"; }
ninja -C "$src/build" -j "$JOBS" src/apk >>"$BUILD/apk-tools.log" 2>&1 || { tail -30 "$BUILD/apk-tools.log" >&2; die "apk-tools: build failed"; }
install -m 0755 "$src/build/src/apk" "$CACHE/bin/apk"

# --- libubox (static) + opkg-lede --------------------------------------------------------
ubox=$(fetch_src libubox)
log "building libubox (for opkg)"
cmake -S "$ubox" -B "$ubox/b" -DBUILD_LUA=OFF -DBUILD_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$BUILD/ubox" \
    -DCMAKE_INSTALL_LIBDIR=lib >"$BUILD/libubox.log" 2>&1 &&
    make -C "$ubox/b" -j "$JOBS" >>"$BUILD/libubox.log" 2>&1 &&
    make -C "$ubox/b" install >>"$BUILD/libubox.log" 2>&1 || { tail -30 "$BUILD/libubox.log" >&2; die "libubox: build failed"; }
src=$(fetch_src opkg-lede)
log "building opkg-lede ${COMMIT[opkg-lede]:0:7}"
cmake -S "$src" -B "$src/b" -DSTATIC_UBOX=ON -DBUILD_TESTS=OFF -DVERSION="${COMMIT[opkg-lede]:0:7}" \
    -DCMAKE_PREFIX_PATH="$BUILD/ubox" -DCMAKE_C_FLAGS="-I$BUILD/ubox/include" >"$BUILD/opkg.log" 2>&1 &&
    make -C "$src/b" -j "$JOBS" >>"$BUILD/opkg.log" 2>&1 || { tail -30 "$BUILD/opkg.log" >&2; die "opkg-lede: build failed"; }
install -m 0755 "$src/b/src/opkg-cl" "$CACHE/bin/opkg"

# --- po2lmo from luci-base ---------------------------------------------------------------
src=$(fetch_src luci modules/luci-base/src)
log "building po2lmo (luci ${COMMIT[luci]:0:7})"
make -C "$src/modules/luci-base/src" po2lmo >"$BUILD/po2lmo.log" 2>&1 || { cat "$BUILD/po2lmo.log" >&2; die "po2lmo: build failed"; }
install -m 0755 "$src/modules/luci-base/src/po2lmo" "$CACHE/bin/po2lmo"

# --- scripts/ipkg-build and base-files' functions.sh ----------------------------------
ow="$BUILD/openwrt"
if [ -n "$UPSTREAM_DIR" ]; then
    [ -f "$UPSTREAM_DIR/openwrt-files.tar.gz" ] || die "missing $UPSTREAM_DIR/openwrt-files.tar.gz"
    unpack_tgz "$UPSTREAM_DIR/openwrt-files.tar.gz" "$ow"
else
    mirror="$CACHE/src/openwrt.git"
    [ -d "$mirror" ] || git clone --quiet --bare --depth=1 --filter=blob:none https://github.com/openwrt/openwrt.git "$mirror" >&2 ||
        die "git clone openwrt.git failed"
    mkdir -p "$ow/scripts" "$ow/package/base-files/files/lib"
    git --git-dir="$mirror" show HEAD:scripts/ipkg-build >"$ow/scripts/ipkg-build"
    git --git-dir="$mirror" show HEAD:package/base-files/files/lib/functions.sh >"$ow/package/base-files/files/lib/functions.sh"
fi
check() { [ "$(sha256sum <"$1" | cut -c1-64)" = "$2" ] || die "$1 is not the pinned version (sha256 $2)"; }
check "$ow/scripts/ipkg-build" "$IPKG_BUILD_SHA256"
check "$ow/package/base-files/files/lib/functions.sh" "$FUNCTIONS_SH_SHA256"
install -m 0755 "$ow/scripts/ipkg-build" "$CACHE/openwrt/ipkg-build"
install -m 0644 "$ow/package/base-files/files/lib/functions.sh" "$CACHE/openwrt/functions.sh"

rm -rf "$BUILD"
printf '%s\n' "$key" >"$STAMP"
log "built apk, opkg, po2lmo in $(($(date +%s) - T0)) s"
printf '%s\n' "$CACHE"
