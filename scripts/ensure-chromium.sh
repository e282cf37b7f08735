#!/usr/bin/env bash
# ensure-chromium.sh — print the absolute path of a Chromium binary (last and
# only line on stdout); progress goes to stderr.
#
#   1. $CHROMIUM, when set and executable;
#   2. /usr/bin/chromium, when present;
#   3. as root: Debian's `chromium` package via scripts/ensure-debs.sh
#      (apt-get install --no-install-recommends chromium), then /usr/bin/chromium;
#      not root: says what to install and exits 1.
# Browsers come only from Debian's archive: never from a browser vendor's
# download, never via `npx playwright install`.
set -euo pipefail

log() { printf 'ensure-chromium: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
SYSTEM_CHROMIUM=/usr/bin/chromium

if [ -n "${CHROMIUM:-}" ]; then
    if [ -f "$CHROMIUM" ] && [ -x "$CHROMIUM" ]; then
        case "$CHROMIUM" in
            /*) printf '%s\n' "$CHROMIUM" ;;
            *) printf '%s\n' "$PWD/$CHROMIUM" ;;
        esac
        exit 0
    fi
    log "warning: CHROMIUM=$CHROMIUM is not an executable file; ignoring it"
fi

if [ -x "$SYSTEM_CHROMIUM" ]; then
    printf '%s\n' "$SYSTEM_CHROMIUM"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    log "Chromium is not installed ($SYSTEM_CHROMIUM is missing)."
    log "install Debian's package with:  sudo apt-get install chromium"
    log "(or point CHROMIUM at an existing Chromium binary)"
    exit 1
fi

log "Chromium not found; installing Debian's chromium package"
"$SCRIPT_DIR/ensure-debs.sh" chromium
[ -x "$SYSTEM_CHROMIUM" ] ||
    die "package chromium is installed but $SYSTEM_CHROMIUM is missing"
log "installed: $("$SYSTEM_CHROMIUM" --version 2>/dev/null || echo chromium)"
printf '%s\n' "$SYSTEM_CHROMIUM"
