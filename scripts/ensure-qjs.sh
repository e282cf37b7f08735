#!/usr/bin/env bash
# ensure-qjs.sh — print the absolute path of a working QuickJS `qjs` binary as
# the last (and only) line on stdout; progress and errors go to stderr.
#
# Order:
#   1. $QJS, when set and executable;
#   2. `qjs` on PATH;
#   3. <repo>/.cache/qjs/bin/qjs, when it exists and passes the smoke test;
#   4. otherwise build it from Debian trixie's source package quickjs
#      2025.04.26-1: the orig tarball is fetched with a private apt setup under
#      .cache/qjs/apt/ (the system's apt sources and lists are left alone),
#      its size and sha256 are checked, then `make qjs` is run in it and the
#      binary is copied to .cache/qjs/bin/qjs.
# Idempotent and non-interactive; a no-op (a few ms) once the binary exists.
set -euo pipefail

log() { printf 'ensure-qjs: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
# shellcheck source=lib/private-apt.sh
. "$SCRIPT_DIR/lib/private-apt.sh"
CACHE="$ROOT/.cache/qjs"
BIN="$CACHE/bin/qjs"

# Pinned source: Debian trixie, source package quickjs 2025.04.26-1.
SRC_PKG=quickjs
UPSTREAM_VERSION=2025.04.26
DEB_VERSION="$UPSTREAM_VERSION-1"
SUITE=trixie
ORIG="${SRC_PKG}_${UPSTREAM_VERSION}.orig.tar.xz"
ORIG_SIZE=580408
ORIG_SHA256=ec81da5b3249ed648dbc7df4a1654988910e66a118d9b71cb63534216efcfbbe
MIRROR="${QJS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
JOBS="${QJS_BUILD_JOBS:-2}"

# --- smoke test -------------------------------------------------------------

# qjs_works BIN: the binary runs a module script that imports std and os.
qjs_works() {
    local bin=$1 dir out
    [ -f "$bin" ] && [ -x "$bin" ] || return 1
    dir=$(mktemp -d "${TMPDIR:-/tmp}/ensure-qjs.XXXXXX") || return 1
    cat >"$dir/smoke.js" <<'EOF'
#!/usr/bin/qjs
import * as std from 'std'; import * as os from 'os'; std.out.puts(JSON.stringify({ok: typeof os.exec}))
EOF
    out=$(cd "$dir" && timeout 30 "$bin" "$dir/smoke.js" </dev/null 2>/dev/null) || out="<exit $?>"
    rm -rf "$dir"
    if [ "$out" != '{"ok":"function"}' ]; then
        log "smoke test of $bin failed (got: ${out:-<nothing>})"
        return 1
    fi
}

abs_path() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s\n' "$PWD/$1" ;;
    esac
}

# --- 1. $QJS ----------------------------------------------------------------
if [ -n "${QJS:-}" ]; then
    if [ -f "$QJS" ] && [ -x "$QJS" ]; then
        qjs_abs=$(abs_path "$QJS")
        qjs_works "$qjs_abs" || die "QJS=$QJS does not work (see above); unset QJS or fix it"
        printf '%s\n' "$qjs_abs"
        exit 0
    fi
    log "warning: QJS=$QJS is not an executable file; ignoring it"
fi

# --- 2. qjs on PATH ---------------------------------------------------------
if path_qjs=$(command -v qjs 2>/dev/null) && [ -n "$path_qjs" ]; then
    path_qjs=$(abs_path "$path_qjs")
    if qjs_works "$path_qjs"; then
        printf '%s\n' "$path_qjs"
        exit 0
    fi
    log "warning: ignoring $path_qjs from PATH (smoke test failed)"
fi

# --- 3. cached build --------------------------------------------------------
if [ -x "$BIN" ] && qjs_works "$BIN"; then
    printf '%s\n' "$BIN"
    exit 0
fi

# --- 4. build it ------------------------------------------------------------
mkdir -p "$CACHE"/{bin,src,apt}

# Serialise concurrent runs (parallel make targets, several terminals).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/lock"
    flock 9
    if [ -x "$BIN" ] && qjs_works "$BIN" 2>/dev/null; then  # built by whoever held the lock
        printf '%s\n' "$BIN"
        exit 0
    fi
fi

log "no usable qjs found; building QuickJS $UPSTREAM_VERSION into $BIN"

# Tools for fetching and building. gcc/make/libc headers are present on most
# dev machines; install them only when missing.
need_debs=()
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script needs Debian (or install QuickJS yourself and set QJS=/path/to/qjs)"
command -v make >/dev/null 2>&1 || need_debs+=(make)
{ command -v gcc >/dev/null 2>&1 && [ -e /usr/include/stdio.h ]; } || need_debs+=(gcc libc6-dev)
command -v xz >/dev/null 2>&1 || need_debs+=(xz-utils)
[ -r "$KEYRING" ] || need_debs+=(debian-archive-keyring)
if [ "${#need_debs[@]}" -gt 0 ]; then
    log "build dependencies missing: ${need_debs[*]}"
    "$SCRIPT_DIR/ensure-debs.sh" "${need_debs[@]}" ||
        die "cannot install build dependencies (${need_debs[*]})"
fi

orig_ok() {
    [ -f "$1" ] || return 1
    [ "$(stat -c %s "$1")" = "$ORIG_SIZE" ] || return 1
    printf '%s  %s\n' "$ORIG_SHA256" "$1" | sha256sum -c --status -
}

TARBALL="$CACHE/src/$ORIG"

# Fetch via a private apt configuration under .cache/qjs/apt (scripts/lib/private-apt.sh).
fetch_with_apt() {
    local apt_dir="$CACHE/apt"
    private_apt_opts "$apt_dir"
    printf 'deb-src [signed-by=%s] %s %s main\n' "$KEYRING" "$MIRROR" "$SUITE" >"$apt_dir/sources.list"
    local opts=("${PRIVATE_APT_OPTS[@]}")

    log "apt-get update (private: $SUITE deb-src index only)"
    apt-get "${opts[@]}" update </dev/null >&2 || return 1
    log "apt-get source --download-only $SRC_PKG=$DEB_VERSION"
    (cd "$CACHE/src" && apt-get "${opts[@]}" source --download-only "$SRC_PKG=$DEB_VERSION" </dev/null >&2)
}

# Fallback when apt cannot do it (e.g. 2025.04.26-1 superseded in trixie, so no
# longer in its Sources index): the orig tarball itself stays in the pool.
fetch_from_pool() {
    local url="$MIRROR/pool/main/${SRC_PKG:0:1}/$SRC_PKG/$ORIG"
    log "downloading $url"
    rm -f "$TARBALL.part"
    if [ -x /usr/lib/apt/apt-helper ] &&
        /usr/lib/apt/apt-helper -o APT::Sandbox::User="$(id -un)" \
            download-file "$url" "$TARBALL.part" "SHA256:$ORIG_SHA256" </dev/null >&2; then
        :
    elif command -v curl >/dev/null 2>&1 && curl -fsSL --retry 3 -o "$TARBALL.part" "$url"; then
        :
    elif command -v wget >/dev/null 2>&1 && wget -q -O "$TARBALL.part" "$url"; then
        :
    else
        rm -f "$TARBALL.part"
        return 1
    fi
    mv -f "$TARBALL.part" "$TARBALL"
}

if orig_ok "$TARBALL"; then
    log "using cached $TARBALL (sha256 ok)"
else
    rm -f "$TARBALL"
    if ! { fetch_with_apt && orig_ok "$TARBALL"; }; then
        log "fetching $ORIG with apt failed or gave a bad file; trying the pool directly"
        rm -f "$TARBALL"
        fetch_from_pool || die "could not download $ORIG from $MIRROR"
    fi
    orig_ok "$TARBALL" ||
        die "$TARBALL does not match the pinned size $ORIG_SIZE / sha256 $ORIG_SHA256; refusing to build it"
    log "$ORIG: size and sha256 verified"
    # The trixie Sources index (~25 MB) was only needed for this download.
    rm -rf "$CACHE/apt/state/lists" "$CACHE/apt/cache"
fi

BUILD="$CACHE/build"
rm -rf "$BUILD"
mkdir -p "$BUILD"
tar -xJf "$TARBALL" -C "$BUILD" || die "cannot unpack $TARBALL"
SRC_DIR="$BUILD/quickjs-$UPSTREAM_VERSION"
[ -f "$SRC_DIR/Makefile" ] || die "unexpected tarball layout: $SRC_DIR/Makefile missing"

log "make -j$JOBS qjs (log: $CACHE/build.log; takes ~30 s on 2 cores)"
if ! make -C "$SRC_DIR" -j"$JOBS" qjs >"$CACHE/build.log" 2>&1; then
    tail -n 30 "$CACHE/build.log" >&2
    die "building qjs failed; full log in $CACHE/build.log"
fi

install -m 0755 "$SRC_DIR/qjs" "$BIN.new"
qjs_works "$BIN.new" || { rm -f "$BIN.new"; die "the freshly built qjs fails the smoke test"; }
mv -f "$BIN.new" "$BIN"
rm -rf "$BUILD"
log "built $("$BIN" -h 2>&1 | head -n 1 || true) -> $BIN"
printf '%s\n' "$BIN"
