#!/usr/bin/env bash
# ensure-debs.sh PKG... — make sure the listed Debian packages are installed.
#
# Idempotent: a no-op (and silent on stdout) when every package is already
# installed (checked with dpkg-query). When some are missing:
#   - as root: `apt-get update` (only when the package lists are missing or
#     know no candidate for a wanted package, or when an install fails once)
#     and `apt-get install -y --no-install-recommends` of the missing ones;
#   - otherwise: prints exactly what to install and exits 1.
# Everything is logged to stderr; stdout stays empty so callers can use it.
set -euo pipefail

log() { printf 'ensure-debs: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$#" -gt 0 ] || die "usage: $0 PKG..."

command -v dpkg-query >/dev/null 2>&1 ||
    die "dpkg-query not found: this helper needs a Debian-based system (wanted: $*)"

is_installed() {
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
    # "install ok installed" or "hold ok installed"; not "half-installed",
    # not "deinstall ok config-files".
    [[ "$status" == *" ok installed" ]]
}

missing=()
for pkg in "$@"; do
    is_installed "$pkg" || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian package(s): ${missing[*]}"
    log "install them with:  sudo apt-get install ${missing[*]}"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)

lists_need_update() {
    # No downloaded package index at all (fresh container, `apt-get clean`ed lists)?
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || return 0
    # Any wanted package without an install candidate in the current lists?
    local pkg cand
    for pkg in "${missing[@]}"; do
        cand=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
        [ -n "$cand" ] && [ "$cand" != "(none)" ] || return 0
    done
    return 1
}

apt_update() {
    log "apt-get update"
    apt-get "${APT_OPTS[@]}" update </dev/null >&2 || die "apt-get update failed"
}

apt_install() {
    apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${missing[@]}" </dev/null >&2
}

updated=0
if lists_need_update; then
    apt_update
    updated=1
fi

log "installing: ${missing[*]}"
if ! apt_install; then
    # Stale lists can point at files the mirror no longer has: refresh once and retry.
    [ "$updated" -eq 0 ] || die "apt-get install ${missing[*]} failed"
    log "install failed; refreshing package lists and retrying"
    apt_update
    apt_install || die "apt-get install ${missing[*]} failed"
fi

for pkg in "${missing[@]}"; do
    is_installed "$pkg" || die "package $pkg is still not installed after apt-get install"
done
log "installed: ${missing[*]}"
