#!/usr/bin/env bash
# test/kernel/fetch.sh — fetch the kernel test tier's ingredients from Debian packages only.
#
# Downloads (apt-get download, never installs) Debian's current bookworm kernel
# (the real package behind linux-image-amd64) plus the user-space tools the guest
# needs (Debian's dynamic busybox, nftables, conntrack, iperf3, iproute2, ethtool, kmod) and
# the closure of their library packages, and unpacks them with dpkg-deb -x into
# .cache/kernel/root. Then it:
#   - runs the extracted depmod over the extracted modules (Debian ships no modules.dep),
#   - extracts the uncompressed vmlinux from the bzImage's XZ payload (PVH boot, skips
#     the decompressor under TCG),
#   - writes .cache/kernel/env (KPKG, KVER; lib/host.sh derives the paths) for the other scripts.
#
# Idempotent: when .cache/kernel/env exists and its files are present, it does nothing
# (no apt query at all). --refresh re-resolves the packages (e.g. after a Debian kernel
# update); KERNEL_PKG=linux-image-6.1.0-NN-amd64 pins a kernel package.
#
# Usage: test/kernel/fetch.sh [--refresh] [--quiet]
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/host.sh
. "$HERE/lib/host.sh"
REFRESH=0 QUIET=0
for a in "$@"; do
	case $a in
	--refresh) REFRESH=1 ;;
	--quiet | -q) QUIET=1 ;;
	-h | --help) sed -n '2,19p' "$0"; exit 0 ;;
	*) echo "fetch.sh: unknown argument $a" >&2; exit 2 ;;
	esac
done
say() { [ "$QUIET" = 1 ] || echo "fetch: $*" >&2; }
die() { echo "fetch: ERROR: $*" >&2; exit 1; }

# Top-level packages. The kernel package is resolved below. Debian's dynamic busybox,
# not busybox-static: the static build prefers its own applets to PATH (its `ip` would
# shadow iproute2's in every script), the dynamic one does not.
TOOLS="busybox nftables conntrack iperf3 iproute2 ethtool kmod"

# ---- fast path -------------------------------------------------------------------
if [ "$REFRESH" = 0 ] && kt_load_env && [ "${TOOLS_FETCHED:-}" = "$TOOLS" ]; then
	if [ -f "$VMLINUX" ] && [ -f "$MODDIR/modules.dep" ] && [ -x "$ROOT/bin/busybox" ]; then
		say "cached: kernel $KVER ($CACHE)"
		exit 0
	fi
fi

for t in apt-get apt-cache dpkg-deb xz od; do
	command -v "$t" >/dev/null || die "needs '$t' (Debian/Ubuntu host with apt)"
done


# Packages never needed in the guest (maintainer-script or config-only dependencies).
skip_pkg() {
	case $1 in
	debconf | debconf-2.0 | cdebconf | adduser | init-system-helpers | libcap2-bin | libpam* | perl* | \
		linux-base | initramfs-tools* | dracut* | kmod | busybox-static | libc-bin | gcc-*-base | \
		tzdata | sensible-utils | lsb-base | sysvinit-utils) return 0 ;;
	esac
	return 1
}

# apt-cache depends restricted to (Pre)Depends; first alternative; virtual names dropped.
deps_of() {
	apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
		--no-enhances "$@" 2>/dev/null |
		awk '/^ *\|?(Pre)?Depends: / { n=$2; if (n !~ /^</) print n }' | sort -u
}

resolve_kernel_pkg() {
	if [ -n "${KERNEL_PKG:-}" ]; then echo "$KERNEL_PKG"; return; fi
	deps_of linux-image-amd64 | grep -E '^linux-image-[0-9].*-amd64$' | sort -V | tail -1
}

KPKG=$(resolve_kernel_pkg || true)
if [ -z "$KPKG" ] || ! apt-cache show "$KPKG" >/dev/null 2>&1; then
	say "package lists lack the kernel; running apt-get update"
	apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed (are you root? is Debian's archive reachable?)"
	KPKG=$(resolve_kernel_pkg || true)
fi
[ -n "$KPKG" ] || die "cannot resolve linux-image-amd64's kernel package (not a Debian/amd64 host?)"
say "kernel package: $KPKG"

# Closure of library packages of the tools (lib*/zlib* only; the tools' maintainer-script
# helpers are skipped). Breadth-first, one apt-cache call per level (each call costs ~1 s).
declare -A SEEN=()
level=()
for p in $TOOLS; do SEEN[$p]=1; level+=("$p"); done
read -ra pkgs <<<"$KPKG $TOOLS"
while [ ${#level[@]} -gt 0 ]; do
	next=()
	for d in $(deps_of "${level[@]}"); do
		d=${d%%:*}  # strip :any
		[ -n "${SEEN[$d]:-}" ] && continue
		SEEN[$d]=1
		skip_pkg "$d" && continue
		case $d in lib* | zlib*) next+=("$d"); pkgs+=("$d") ;; esac
	done
	level=("${next[@]}")
done
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
say "${#pkgs[@]} packages: ${pkgs[*]}"

# ---- download ----------------------------------------------------------------------
mkdir -p "$CACHE/debs"
if [ "$REFRESH" = 1 ]; then rm -f "$CACHE/debs/"*.deb; fi
want=()
for p in "${pkgs[@]}"; do
	ls "$CACHE/debs/${p}_"*.deb >/dev/null 2>&1 || want+=("$p")
done
if [ ${#want[@]} -gt 0 ]; then
	say "downloading ${#want[@]} package(s)"
	(cd "$CACHE/debs" && apt-get download -q -o APT::Sandbox::User=root "${want[@]}" >/dev/null) ||
		{
			say "apt-get download failed; running apt-get update and retrying"
			apt-get update -qq >/dev/null 2>&1 || true
			(cd "$CACHE/debs" && apt-get download -q -o APT::Sandbox::User=root "${want[@]}" >/dev/null)
		} || die "apt-get download ${want[*]} failed"
fi

# drop .debs no longer wanted (e.g. after a kernel update with --refresh)
for f in "$CACHE/debs/"*.deb; do
	n=$(basename "$f")
	n=${n%%_*}
	printf '%s\n' "${pkgs[@]}" | grep -qx -- "$n" || rm -f "$f"
done

# ---- unpack ------------------------------------------------------------------------
rm -rf "$ROOT.tmp"
mkdir -p "$ROOT.tmp"
for p in "${pkgs[@]}"; do
	deb=$(ls -t "$CACHE/debs/${p}_"*.deb | head -1)
	dpkg-deb -x "$deb" "$ROOT.tmp"
done
rm -rf "$ROOT"
mv "$ROOT.tmp" "$ROOT"

KVER=$(ls "$ROOT/lib/modules" | sort -V | tail -1)
if [ -z "$KVER" ] || [ ! -f "$ROOT/boot/vmlinuz-$KVER" ]; then die "no kernel found in $KPKG"; fi

# Run the extracted kmod through the extracted dynamic loader (kt_run), so the host's
# libc version does not matter and nothing is installed on the host.
[ -x "$LDSO" ] || die "no dynamic loader at $LDSO (libc6 not unpacked?)"
kt_run depmod "$ROOT/bin/kmod" -b "$ROOT" "$KVER" || die "depmod failed"

# ---- PVH vmlinux -------------------------------------------------------------------
VMLINUX=$CACHE/vmlinux-$KVER
if [ "$REFRESH" = 1 ] || [ ! -f "$VMLINUX" ]; then
	BZ=$ROOT/boot/vmlinuz-$KVER
	# offset of the first XZ stream magic FD 37 7A 58 5A 00
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$BZ" | head -1 | cut -d: -f1 || true)
	[ -n "$off" ] || die "no XZ payload in $BZ (kernel not XZ-compressed?)"
	tail -c +$((off + 1)) "$BZ" | xz -dc 2>/dev/null >"$VMLINUX.tmp" || true
	# xz complains about trailing garbage after the stream; the ELF must be intact.
	[ "$(head -c 4 "$VMLINUX.tmp" | od -A n -t x1 | tr -d ' ')" = 7f454c46 ] ||
		die "extracted vmlinux is not an ELF file"
	mv "$VMLINUX.tmp" "$VMLINUX"
fi

cat >"$CACHE/env.tmp" <<EOF
# generated by test/kernel/fetch.sh (paths are derived from KVER by lib/host.sh)
KPKG=$KPKG
KVER=$KVER
TOOLS_FETCHED="$TOOLS"
EOF
mv "$CACHE/env.tmp" "$CACHE/env"
printf '%s\n' "${pkgs[@]}" >"$CACHE/packages.txt"
say "ready: kernel $KVER, vmlinux $(du -h --apparent-size "$VMLINUX" | cut -f1)"
