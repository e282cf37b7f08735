#!/usr/bin/env bash
# scripts/platform/build.sh — build the real OpenWrt userland pinned in
# scripts/platform/upstream.tsv (libubox ubus uci ucode rpcd uhttpd firewall4
# libnl-tiny udebug netifd) on Debian 12 / glibc, and stage it the way OpenWrt
# lays it out (prefix /usr; ubusd/rpcd/uci/netifd/fw4 in /sbin, ubus in /bin …).
#
# stdout: exactly one line, the absolute path of the staged tree
#         (<repo>/.cache/platform/stage). Progress and errors go to stderr.
#
# Sources:
#   OPENWRT_UPSTREAM=DIR  DIR holds <name>-<commit first 12>.tar.gz (each tarball
#                         has one top directory); relative DIR is taken from $PWD.
#   unset                 `git clone` each URL and check out the pinned commit.
# Other env: PLATFORM_JOBS (make -j, default: nproc), PLATFORM_CACHE (default
# <repo>/.cache/platform), PLATFORM_REBUILD=1 (ignore the stamp).
#
# Idempotent: the stamp .cache/platform/stamp holds a hash of upstream.tsv, this
# script, luci.sh (real LuCI, staged in usr/share/platform/luci) and the shim header; when it matches, the run is a no-op (a few ms).
# Nothing of upstream is modified: the only shims are compiler flags and the
# force-included strlcpy-compat.h (docs: ../shared/platform/real-programs.md §1).
set -euo pipefail

log() { printf 'platform-build: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd -P)
# shellcheck source=../lib/private-apt.sh
. "$ROOT/scripts/lib/private-apt.sh"
TSV="$SCRIPT_DIR/upstream.tsv"
SHIM="$SCRIPT_DIR/strlcpy-compat.h"
CACHE="${PLATFORM_CACHE:-$ROOT/.cache/platform}"
case "$CACHE" in /*) ;; *) CACHE="$PWD/$CACHE" ;; esac
STAGE="$CACHE/stage"
STAMP="$CACHE/stamp"
JOBS="${PLATFORM_JOBS:-$(nproc 2>/dev/null || echo 2)}"

LUCI_SH="$SCRIPT_DIR/luci.sh"
key=$(cat "$TSV" "${BASH_SOURCE[0]}" "$SHIM" "$LUCI_SH" | sha256sum | cut -c1-64)

# --- fast path -------------------------------------------------------------
if [ "${PLATFORM_REBUILD:-0}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$key" ] &&
    [ -x "$STAGE/sbin/rpcd" ]; then
    printf '%s\n' "$STAGE"
    exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9
if [ "${PLATFORM_REBUILD:-0}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$key" ] &&
    [ -x "$STAGE/sbin/rpcd" ]; then  # built by whoever held the lock
    printf '%s\n' "$STAGE"
    exit 0
fi

T0=$(date +%s.%N)
rm -f "$STAMP"

# --- Debian build dependencies ----------------------------------------------
log "checking Debian build dependencies"
debs=(build-essential cmake pkg-config libjson-c-dev)
[ -n "${OPENWRT_UPSTREAM:-}" ] || debs+=(git ca-certificates)
"$ROOT/scripts/ensure-debs.sh" "${debs[@]}" >&2

# --- sources -----------------------------------------------------------------
SRC="$CACHE/src"
BUILD="$CACHE/build"
rm -rf "$BUILD" "$STAGE.new"
mkdir -p "$SRC" "$BUILD"
NEWSTAGE="$STAGE.new"
mkdir -p "$NEWSTAGE"

UPSTREAM_DIR=
if [ -n "${OPENWRT_UPSTREAM:-}" ]; then
    case "$OPENWRT_UPSTREAM" in
        /*) UPSTREAM_DIR=$OPENWRT_UPSTREAM ;;
        *) UPSTREAM_DIR="$PWD/$OPENWRT_UPSTREAM" ;;
    esac
    [ -d "$UPSTREAM_DIR" ] || die "OPENWRT_UPSTREAM=$OPENWRT_UPSTREAM is not a directory"
    UPSTREAM_DIR=$(cd "$UPSTREAM_DIR" && pwd -P)
fi

declare -A URL COMMIT
while IFS=$'\t' read -r name url commit; do
    [ "$name" = name ] && continue
    [ -n "$name" ] || continue
    [[ "$commit" =~ ^[0-9a-f]{40}$ ]] || die "upstream.tsv: bad commit for $name: $commit"
    URL[$name]=$url
    COMMIT[$name]=$commit
done <"$TSV"

# fetch_src NAME → prints the source directory (a fresh copy under $BUILD)
fetch_src() {
    local name=$1 commit=${COMMIT[$1]} url=${URL[$1]} dest="$BUILD/$1" top
    [ -n "$commit" ] || die "$name is not in upstream.tsv"
    if [ -n "$UPSTREAM_DIR" ]; then
        local tgz="$UPSTREAM_DIR/$name-${commit:0:12}.tar.gz" tmp="$BUILD/.x-$name"
        [ -f "$tgz" ] || die "missing $tgz"
        rm -rf "$tmp" && mkdir -p "$tmp"
        tar -xzf "$tgz" -C "$tmp" || die "cannot unpack $tgz"
        top=$(find "$tmp" -mindepth 1 -maxdepth 1)
        [ "$(printf '%s\n' "$top" | wc -l)" = 1 ] && [ -d "$top" ] ||
            die "$tgz: expected exactly one top directory"
        mv "$top" "$dest" && rmdir "$tmp"
    else
        local mirror="$SRC/$name.git"
        if [ ! -d "$mirror" ]; then
            log "git clone $url"
            git clone --quiet --bare "$url" "$mirror.tmp" >&2 || die "git clone $url failed"
            mv "$mirror.tmp" "$mirror"
        fi
        if ! git --git-dir="$mirror" cat-file -e "$commit^{commit}" 2>/dev/null; then
            log "git fetch $url (pinned commit not in the clone)"
            git --git-dir="$mirror" fetch --quiet "$url" '+refs/heads/*:refs/heads/*' >&2 ||
                die "git fetch $url failed"
            git --git-dir="$mirror" cat-file -e "$commit^{commit}" 2>/dev/null ||
                die "$name: commit $commit not found in $url"
        fi
        mkdir -p "$dest"
        git --git-dir="$mirror" archive --format=tar "$commit" | tar -xf - -C "$dest" ||
            die "$name: cannot export $commit"
    fi
    printf '%s\n' "$dest"
}

# --- trixie kernel UAPI headers for netifd ----------------------------------
# netifd's system-linux.c needs ETHTOOL_A_C33_PSE_* (Linux ≥ 6.10); Debian 12
# ships 6.1. Fetch trixie's linux-libc-dev (binary) through a private apt setup
# under .cache/platform/apt (the system's sources and lists are not touched).
fetch_uapi() {
    local apt_dir="$CACHE/apt" out="$CACHE/uapi" keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    local mirror="${PLATFORM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
    if [ -f "$out/.done" ]; then printf '%s\n' "$out"; return 0; fi
    [ -r "$keyring" ] || "$ROOT/scripts/ensure-debs.sh" debian-archive-keyring >&2
    mkdir -p "$apt_dir/debs"
    printf 'deb [arch=amd64 signed-by=%s] %s trixie main\n' "$keyring" "$mirror" >"$apt_dir/sources.list"
    private_apt_opts "$apt_dir"
    local opts=("${PRIVATE_APT_OPTS[@]}" -o "APT::Architecture=amd64" -o "APT::Architectures::=amd64")
    if ! compgen -G "$apt_dir/debs/linux-libc-dev_*.deb" >/dev/null; then
        log "apt-get update (private: trixie main amd64 index only)"
        apt-get "${opts[@]}" update </dev/null >&2 || return 1
        log "apt-get download linux-libc-dev (trixie)"
        (cd "$apt_dir/debs" && apt-get "${opts[@]}" download linux-libc-dev </dev/null >&2) || return 1
        rm -rf "$apt_dir/state/lists" "$apt_dir/cache"   # ~10 MB index, only needed once
    fi
    local deb
    deb=$(ls "$apt_dir/debs"/linux-libc-dev_*.deb | head -n1)
    rm -rf "$out" && mkdir -p "$out"
    dpkg-deb -x "$deb" "$out" || return 1
    basename "$deb" >"$out/.done"
    log "kernel UAPI headers: $(basename "$deb")"
    printf '%s\n' "$out"
}

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# --- build helpers -------------------------------------------------------------
BASE_CFLAGS="-O2 -I$NEWSTAGE/usr/include"
BASE_LDFLAGS="-L$NEWSTAGE/usr/lib -Wl,-rpath-link,$NEWSTAGE/usr/lib"

# cmake_build NAME [EXTRA_CFLAGS] -- CMAKE_ARGS...   (in-source build: netifd needs it)
cmake_build() {
    local name=$1 extra_cflags=$2; shift 2
    [ "${1:-}" = -- ] && shift
    local t0 src logf="$CACHE/log/$name.log"
    t0=$(date +%s.%N)
    src=$(fetch_src "$name") || return 1
    log "building $name (${COMMIT[$name]:0:12}) — log: $logf"
    if ! (
        cd "$src"
        CFLAGS="$BASE_CFLAGS $extra_cflags" LDFLAGS="$BASE_LDFLAGS" \
            cmake . -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_INSTALL_LIBDIR=lib \
            -DCMAKE_PREFIX_PATH="$NEWSTAGE/usr" -DCMAKE_BUILD_TYPE=None "$@" &&
            make -j"$JOBS" VERBOSE=1 &&
            make install DESTDIR="$NEWSTAGE"
    ) >"$logf" 2>&1; then
        tail -n 40 "$logf" >&2
        return 1
    fi
    log "  $name done in $(elapsed "$t0") s"
}

mkdir -p "$CACHE/log"

cmake_build libubox "" -- -DBUILD_LUA=OFF -DBUILD_EXAMPLES=OFF -DUNIT_TESTING=OFF ||
    die "libubox failed"
cmake_build ubus "" -- -DBUILD_LUA=OFF -DBUILD_EXAMPLES=OFF -DUNIT_TESTING=OFF || die "ubus failed"
cmake_build uci "" -- -DBUILD_LUA=OFF -DUNIT_TESTING=OFF || die "uci failed"
cmake_build ucode "" -- \
    -DUBUS_SUPPORT=ON -DUCI_SUPPORT=ON -DULOOP_SUPPORT=ON \
    -DFS_SUPPORT=ON -DIO_SUPPORT=ON -DMATH_SUPPORT=ON -DSTRUCT_SUPPORT=ON -DLOG_SUPPORT=ON \
    -DRESOLV_SUPPORT=ON -DSOCKET_SUPPORT=ON -DDEBUG_SUPPORT=ON \
    -DRTNL_SUPPORT=OFF -DNL80211_SUPPORT=OFF -DZLIB_SUPPORT=OFF \
    -DDIGEST_SUPPORT=OFF -DDIGEST_SUPPORT_EXTENDED=OFF -DUNIT_TESTING=OFF || die "ucode failed"
cmake_build rpcd "-D_GNU_SOURCE= -include $SHIM" -- -DIWINFO_SUPPORT=OFF -DFILE_SUPPORT=ON -DRPCSYS_SUPPORT=ON \
    -DUCODE_SUPPORT=ON || die "rpcd failed"
cmake_build uhttpd "-D_GNU_SOURCE= -Wno-error=stringop-overread" -- \
    -DTLS_SUPPORT=OFF -DLUA_SUPPORT=OFF -DUBUS_SUPPORT=ON -DUCODE_SUPPORT=ON || die "uhttpd failed"

# firewall4 is scripts only: install its root/ the way OpenWrt's package does.
fw4_src=$(fetch_src firewall4) || die "firewall4 sources"
log "installing firewall4 (${COMMIT[firewall4]:0:12})"
install -D -m 0755 "$fw4_src/root/sbin/fw4" "$NEWSTAGE/sbin/fw4"
ln -sfn fw4 "$NEWSTAGE/sbin/fw3"   # as the firewall4 package ships it (LuCI's firewall menu depends on /sbin/fw3)
mkdir -p "$NEWSTAGE/usr/share/firewall4" "$NEWSTAGE/usr/share/ucode" "$NEWSTAGE/usr/share/nftables.d"
cp -a "$fw4_src/root/usr/share/firewall4/." "$NEWSTAGE/usr/share/firewall4/"
cp -a "$fw4_src/root/usr/share/ucode/." "$NEWSTAGE/usr/share/ucode/"
cp -a "$fw4_src/root/usr/share/nftables.d/." "$NEWSTAGE/usr/share/nftables.d/"
install -D -m 0644 "$fw4_src/root/etc/config/firewall" "$NEWSTAGE/usr/share/platform/defaults/firewall"
mkdir -p "$NEWSTAGE/etc/nftables.d"
cp -a "$fw4_src/root/etc/nftables.d/." "$NEWSTAGE/etc/nftables.d/"

# netifd (+ libnl-tiny, udebug): optional — a failure is reported, not fatal.
NETIFD=missing
if cmake_build libnl-tiny "" -- && cmake_build udebug "" -- -DABIVERSION=1; then
    if uapi=$(fetch_uapi); then
        if cmake_build netifd "-D_GNU_SOURCE= -I$NEWSTAGE/usr/include/libnl-tiny -isystem $uapi/usr/include -isystem $uapi/usr/include/x86_64-linux-gnu -idirafter /usr/include/x86_64-linux-gnu" -- \
            -DLIBNL_LIBS=nl-tiny; then
            NETIFD=built
            # netifd's shell side, as OpenWrt's package installs it (scripts/ → /lib/netifd)
            mkdir -p "$NEWSTAGE/lib/netifd"
            cp -a "$BUILD/netifd/scripts/." "$NEWSTAGE/lib/netifd/"
        else
            log "WARNING: netifd failed to build (see $CACHE/log/netifd.log); continuing without it"
        fi
    else
        log "WARNING: cannot fetch trixie's linux-libc-dev; netifd is not built"
    fi
else
    log "WARNING: libnl-tiny or udebug failed to build; netifd is not built"
fi

# --- real LuCI (scripts/platform/luci.sh): a separate tree in the stage ---------------
. "$LUCI_SH"
build_luci || die "LuCI failed (see $CACHE/log/)"

# --- OpenWrt layout --------------------------------------------------------------
log "arranging the stage in OpenWrt's layout"
S=$NEWSTAGE
mkdir -p "$S/sbin" "$S/bin" "$S/usr/bin" "$S/usr/sbin" "$S/usr/libexec/rpcd" "$S/usr/share/rpcd/acl.d" \
    "$S/usr/lib/rpcd" "$S/usr/lib/ucode"
mvbin() { # mvbin FROM TO — move an installed binary to OpenWrt's path
    [ -e "$S$1" ] || die "expected $1 in the stage"
    mv -f "$S$1" "$S$2"
}
mvbin /usr/sbin/ubusd /sbin/ubusd
mvbin /usr/bin/ubus /bin/ubus
mvbin /usr/bin/uci /sbin/uci
mvbin /usr/sbin/rpcd /sbin/rpcd
[ "$NETIFD" != built ] || [ ! -e "$S/usr/sbin/netifd" ] || mvbin /usr/sbin/netifd /sbin/netifd
[ ! -e "$S/usr/bin/uhttpd" ] || mvbin /usr/bin/uhttpd /usr/sbin/uhttpd
[ -x "$S/usr/sbin/uhttpd" ] || die "uhttpd missing in the stage"
[ -x "$S/usr/bin/ucode" ] || die "ucode missing in the stage"
[ -e "$S/usr/bin/utpl" ] || ln -s ucode "$S/usr/bin/utpl"
install -m 0644 "$BUILD/rpcd/unauthenticated.json" "$S/usr/share/rpcd/acl.d/unauthenticated.json"
for p in file rpcsys ucode; do
    [ -f "$S/usr/lib/rpcd/$p.so" ] || die "rpcd plugin $p.so missing"
done
for m in fs io math ubus uci struct uloop log resolv socket; do
    [ -f "$S/usr/lib/ucode/$m.so" ] || die "ucode module $m.so missing"
done
[ -f "$S/usr/lib/uhttpd_ubus.so" ] || die "uhttpd_ubus.so missing"
# build-time only
rm -rf "$S/usr/include" "$S/usr/lib/pkgconfig" "$S/usr/share/cmake" "$S/usr/lib"/*.a
{
    printf 'name\tcommit\n'
    for n in "${!COMMIT[@]}"; do printf '%s\t%s\n' "$n" "${COMMIT[$n]}"; done | sort
    printf 'netifd-status\t%s\n' "$NETIFD"
    [ ! -f "$CACHE/uapi/.done" ] || printf 'uapi\t%s\n' "$(cat "$CACHE/uapi/.done")"
} >"$S/usr/share/platform/BUILDINFO"

rm -rf "$STAGE"
mv "$NEWSTAGE" "$STAGE"
rm -rf "$BUILD"
printf '%s\n' "$key" >"$STAMP"
log "staged $STAGE (netifd: $NETIFD) in $(elapsed "$T0") s"
printf '%s\n' "$STAGE"
