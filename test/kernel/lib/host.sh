# shellcheck shell=bash disable=SC2034
# test/kernel/lib/host.sh — host-side helpers shared by fetch.sh, build-initramfs.sh, run-guest.sh.
# Sourced (bash). Defines the cache layout and how to run binaries extracted from Debian packages.
KT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)   # test/kernel
KT_REPO=$(cd "$KT_DIR/../.." && pwd)
CACHE=${KERNEL_CACHE:-$KT_REPO/.cache/kernel}
ROOT=$CACHE/root                                         # all .debs unpacked here
LIBPATH=$ROOT/lib/x86_64-linux-gnu:$ROOT/usr/lib/x86_64-linux-gnu
LDSO=$ROOT/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2

# kt_load_env: read KPKG/KVER written by fetch.sh; sets VMLINUX. Returns 1 if not fetched.
kt_load_env() {
	[ -f "$CACHE/env" ] || return 1
	# shellcheck disable=SC1091
	. "$CACHE/env"
	VMLINUX=$CACHE/vmlinux-$KVER
	MODDIR=$ROOT/lib/modules/$KVER
}

# kt_run NAME BINARY ARGS... — run an extracted dynamic binary through the extracted
# loader and libraries (host libc version irrelevant); NAME becomes argv[0].
kt_run() {
	local name=$1 bin=$2
	shift 2
	"$LDSO" --library-path "$LIBPATH" --argv0 "$name" "$bin" "$@"
}
