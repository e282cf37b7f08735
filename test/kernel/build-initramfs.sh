#!/usr/bin/env bash
# test/kernel/build-initramfs.sh — build the guest initramfs for the kernel test tier.
#
# Usage: test/kernel/build-initramfs.sh [options]
#   --payload DIR        copied into the guest at /payload (its run.sh is what /init runs)
#   --qjs PATH           QuickJS qjs binary -> /usr/bin/qjs in the guest (+ its libraries).
#                        Default: $QJS, else the path printed by scripts/ensure-qjs.sh.
#   --no-qjs             build without qjs (only for debugging the tier itself)
#   --add HOST=GUEST     copy a host file or directory to GUEST (absolute) path; repeatable
#                        (e.g. the bundled handler to /usr/libexec/rpcd/luci.offload)
#   --modules "M ..."    extra kernel modules (with deps) on top of the default set; a payload
#                        may also list them, one per line, in DIR/kernel-modules
#   --stage DIR          an OpenWrt-layout stage (scripts/platform/build.sh) copied to / with
#                        the libraries of every ELF file in it (its own /usr/lib first, then
#                        the extracted Debian libraries, then the host's, as ldd resolves them);
#                        an ld.so.cache covering /usr/lib is written for the guest
#   --luci               with --stage: also lay out the stage's real LuCI (scripts/platform/luci.sh,
#                        usr/share/platform/luci) over / as its packages install; without it that
#                        tree is left out
#   --host-bin SRC=GUEST a host binary (e.g. /usr/bin/flock) plus the libraries ldd lists
#   --out FILE           output (default .cache/kernel/initramfs.cpio.gz)
#   -q                   quiet
#
# Everything in the guest comes from the Debian packages unpacked by fetch.sh (run it
# first; this script calls it if needed): Debian's dynamic busybox (sh + applets), iproute2,
# nftables, conntrack, iperf3, ethtool, kmod, the libraries each binary needs (resolved
# with the extracted dynamic loader's --list, i.e. what ldd lists, against the extracted
# copies) and the kernel modules with their dependencies (closure from
# `modprobe -S KVER -d ROOT --show-depends`), with a depmod'ed modules.dep so the guest's
# real modprobe loads them (and the kernel can auto-load them on demand).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/host.sh
. "$HERE/lib/host.sh"

PAYLOAD='' QJS_BIN=${QJS:-} NO_QJS=0 OUT=$CACHE/initramfs.cpio.gz QUIET=0 EXTRA_MODS='' STAGE=''
ADDS=() HOST_BINS=() LUCI=0
while [ $# -gt 0 ]; do
	case $1 in
	--payload) PAYLOAD=$2; shift 2 ;;
	--qjs) QJS_BIN=$2; shift 2 ;;
	--no-qjs) NO_QJS=1; shift ;;
	--add) ADDS+=("$2"); shift 2 ;;
	--modules) EXTRA_MODS="$EXTRA_MODS $2"; shift 2 ;;
	--stage) STAGE=$2; shift 2 ;;
	--host-bin) HOST_BINS+=("$2"); shift 2 ;;
	--luci) LUCI=1; shift ;;
	--out) OUT=$2; shift 2 ;;
	-q | --quiet) QUIET=1; shift ;;
	-h | --help) sed -n '2,24p' "$0"; exit 0 ;;
	*) echo "build-initramfs: unknown argument $1" >&2; exit 2 ;;
	esac
done
say() { [ "$QUIET" = 1 ] || echo "initramfs: $*" >&2; }
die() { echo "initramfs: ERROR: $*" >&2; exit 1; }

"$HERE/fetch.sh" --quiet
kt_load_env || die "fetch.sh did not produce $CACHE/env"

# Kernel modules the tier always loads (fw4's flow offloading and its usual ruleset).
MODULES="veth nf_conntrack nf_conntrack_netlink nf_tables nft_ct nft_chain_nat nft_masq nft_nat
nf_flow_table nf_flow_table_inet nft_flow_offload nft_reject_inet nft_limit nft_fib_inet"
if [ -n "$PAYLOAD" ]; then
	[ -f "$PAYLOAD/run.sh" ] || die "payload $PAYLOAD has no run.sh"
	if [ -f "$PAYLOAD/kernel-modules" ]; then
		EXTRA_MODS="$EXTRA_MODS $(sed 's/#.*//' "$PAYLOAD/kernel-modules" | tr '\n' ' ')"
	fi
fi
MODULES=$(echo "$MODULES $EXTRA_MODS" | xargs)

if [ "$NO_QJS" = 0 ] && [ -z "$QJS_BIN" ]; then
	[ -x "$KT_REPO/scripts/ensure-qjs.sh" ] ||
		die "no qjs: pass --qjs PATH or QJS=PATH (scripts/ensure-qjs.sh not found)"
	QJS_BIN=$("$KT_REPO/scripts/ensure-qjs.sh" | tail -1) || die "scripts/ensure-qjs.sh failed"
fi
if [ "$NO_QJS" = 0 ]; then
	[ -x "$QJS_BIN" ] || die "qjs binary '$QJS_BIN' is not executable"
fi

mkdir -p "$CACHE"
ST=$(mktemp -d "$CACHE/stage.XXXXXX")
trap 'rm -rf "$ST"' EXIT

# ---- layout -----------------------------------------------------------------------
for d in bin sbin usr/bin usr/sbin lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib64 \
	proc sys dev run tmp etc results payload usr/share/kt; do
	mkdir -p "$ST/$d"
done
mkdir -p "$ST/var"
ln -s ../run "$ST/var/run"
ln -s x86_64-linux-gnu/ld-linux-x86-64.so.2 "$ST/lib/ld-linux-x86-64.so.2"
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$ST/lib64/ld-linux-x86-64.so.2"

# copy_lib SRC: copy a library (following symlinks) to its path relative to ROOT, or,
# for a library found outside ROOT (qjs built on the host), to the same absolute path.
copy_lib() {
	local src=$1 rel
	case $src in
	"$ST"/*) return 0 ;;
	"$ROOT"/*) rel=${src#"$ROOT"} ;;
	*) rel=$src; say "note: $(basename "$src") taken from the host ($src)" ;;
	esac
	[ -e "$ST$rel" ] && return 0
	mkdir -p "$ST$(dirname "$rel")"
	cp -L "$src" "$ST$rel"
}

# add_bin SRC DEST: copy an ELF binary plus every library the dynamic loader lists for
# it (ld.so --list == ldd), searching the extracted Debian libraries first.
add_bin() {
	local src=$1 dest=$2
	mkdir -p "$ST$(dirname "$dest")"
	cp -L "$src" "$ST$dest"
	chmod 755 "$ST$dest"
	# binaries built on the host (qjs) may carry debug info: drop it when strip exists
	case $src in
	"$ROOT"/*) ;;
	*) if command -v strip >/dev/null; then strip --strip-debug "$ST$dest" 2>/dev/null || true; fi ;;
	esac
	add_libs "$src" "$dest"
}

# add_libs SRC DEST: the libraries the loader lists for SRC (installed at DEST).
add_libs() {
	local src=$1 out line path
	if ! out=$("$LDSO" --library-path "${EXTRA_LIBPATH:+$EXTRA_LIBPATH:}$LIBPATH:$(dirname "$(readlink -f "$src")")${HOST_LIBPATH:+:$HOST_LIBPATH}" --list "$src" 2>&1); then
		case $out in *"not a dynamic executable"* | *"statically linked"*) return 0 ;; esac
		die "cannot list libraries of $src: $out"
	fi
	while IFS= read -r line; do
		case $line in
		*"=> not found"*) die "$src: library ${line%% *} not found" ;;
		*" => "*)
			path=${line#* => }
			path=${path% (*}
			copy_lib "$path"
			;;
		esac
	done <<<"$out"
}

# ---- user space -------------------------------------------------------------------
# Real tools first; busybox applet links only where no real tool exists. Debian's
# dynamic busybox (not busybox-static) is used: busybox-static prefers its own applets
# over PATH (so `ip` in any script would be busybox's ip, not iproute2's).
add_bin "$ROOT/bin/busybox" /bin/busybox
add_bin "$ROOT/sbin/ip" /sbin/ip
ln -s ../sbin/ip "$ST/bin/ip"
add_bin "$ROOT/sbin/tc" /sbin/tc
add_bin "$ROOT/bin/ss" /bin/ss
add_bin "$ROOT/sbin/ethtool" /sbin/ethtool
add_bin "$ROOT/usr/sbin/nft" /usr/sbin/nft
add_bin "$ROOT/usr/sbin/conntrack" /usr/sbin/conntrack
add_bin "$ROOT/usr/bin/iperf3" /usr/bin/iperf3
add_bin "$ROOT/bin/kmod" /bin/kmod
for t in modprobe insmod rmmod lsmod modinfo depmod; do ln -s ../bin/kmod "$ST/sbin/$t"; done
if [ "$NO_QJS" = 0 ]; then add_bin "$QJS_BIN" /usr/bin/qjs; fi
for spec in ${HOST_BINS[@]+"${HOST_BINS[@]}"}; do
	HOST_LIBPATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu add_bin "${spec%%=*}" "${spec#*=}"
done

# The real OpenWrt userland: the stage tree at /, then the libraries of each of its ELF files
# (programs, libraries, dlopen()ed plugins: rpcd's, uhttpd's, ucode's modules). Libraries of the
# stage itself are already in place; Debian's extracted ones come next; what neither has
# (libjson-c, libcrypt) is the host's, copied to the same path.
if [ -n "$STAGE" ]; then
	[ -x "$STAGE/sbin/rpcd" ] || die "--stage $STAGE: no sbin/rpcd (scripts/platform/build.sh)"
	cp -a "$STAGE/." "$ST/"
	if [ "$LUCI" = 1 ]; then
		[ -d "$ST/usr/share/platform/luci/www" ] || die "--luci: no LuCI in the stage $STAGE (scripts/platform/build.sh)"
		cp -a "$ST/usr/share/platform/luci/." "$ST/"
	fi
	rm -rf "$ST/usr/share/platform/luci"
	while IFS= read -r f; do
		head -c 4 "$f" | grep -q 'ELF' || continue
		rel=${f#"$ST"}
		EXTRA_LIBPATH=$ST/usr/lib:$ST/lib HOST_LIBPATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu \
			add_libs "$f" "$rel"
	done < <(find "$ST/bin" "$ST/sbin" "$ST/usr/bin" "$ST/usr/sbin" "$ST/usr/lib" "$ST/lib" -type f 2>/dev/null | sort)
	printf '/usr/lib\n/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n' >"$ST/etc/ld.so.conf"
	ldconfig -r "$ST" 2>/dev/null || die "ldconfig -r for the stage failed"
	say "stage $STAGE added ($(find "$STAGE" -type f | wc -l) files)"
fi
# libc's NSS "files" backend is built into libc.so.6 (glibc >= 2.34); nothing to add.

while read -r applet; do
	[ -n "$applet" ] || continue
	[ -e "$ST/$applet" ] || [ -L "$ST/$applet" ] && continue
	base=$(basename "$applet")
	# do not shadow a real tool that lives in another bin directory
	for d in bin sbin usr/bin usr/sbin; do [ -e "$ST/$d/$base" ] && continue 2; done
	mkdir -p "$ST/$(dirname "$applet")"
	ln -s /bin/busybox "$ST/$applet"
done < <(kt_run busybox "$ROOT/bin/busybox" --list-full)

# config files the tools look for
[ -d "$ROOT/etc/iproute2" ] && cp -a "$ROOT/etc/iproute2" "$ST/etc/"
[ -d "$ROOT/usr/share/iproute2" ] && mkdir -p "$ST/usr/share" && cp -a "$ROOT/usr/share/iproute2" "$ST/usr/share/"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$ST/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ST/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files\nprotocols: files\nservices: files\n' >"$ST/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$ST/etc/hosts"
cp /etc/protocols "$ST/etc/protocols" 2>/dev/null || printf 'ip 0 IP\nicmp 1 ICMP\ntcp 6 TCP\nudp 17 UDP\nipv6-icmp 58 IPv6-ICMP\n' >"$ST/etc/protocols"
cp /etc/services "$ST/etc/services" 2>/dev/null || : >"$ST/etc/services"
mkdir -p "$ST/root"

# ---- kernel modules ---------------------------------------------------------------
GMOD=/lib/modules/$KVER
mkdir -p "$ST$GMOD"
# shellcheck disable=SC2086
deps=$(kt_run modprobe "$ROOT/bin/kmod" -S "$KVER" -d "$ROOT" --show-depends -a $MODULES) ||
	die "modprobe --show-depends failed for: $MODULES"
nmod=0
while read -r kind path _; do
	[ "$kind" = insmod ] || continue
	rel=${path#"$ROOT"}
	dst=$ST${rel%.xz}
	dst=${dst%.zst}
	[ -e "$dst" ] && continue
	mkdir -p "$(dirname "$dst")"
	case $path in
	*.ko.xz) xz -dc "$path" >"$dst" ;;
	*.ko.zst) zstd -qdc "$path" >"$dst" ;;
	*) cp "$path" "$dst" ;;
	esac
	nmod=$((nmod + 1))
done <<<"$deps"
cp "$MODDIR/modules.builtin" "$MODDIR/modules.builtin.modinfo" "$MODDIR/modules.order" "$ST$GMOD/"
kt_run depmod "$ROOT/bin/kmod" -b "$ST" "$KVER" || die "depmod of the guest modules failed"
echo "$MODULES" >"$ST/etc/kt-modules"
say "$nmod module files for: $MODULES"

# ---- guest scripts and payload ----------------------------------------------------
install -m 755 "$HERE/guest/init" "$ST/init"
cp "$HERE/lib/netns.sh" "$HERE/lib/check.sh" "$ST/usr/share/kt/"
if [ -n "$PAYLOAD" ]; then
	cp -a "$PAYLOAD/." "$ST/payload/"
fi
for spec in ${ADDS[@]+"${ADDS[@]}"}; do
	src=${spec%%=*}
	dst=${spec#*=}
	case $dst in /*) ;; *) die "--add $spec: guest path must be absolute" ;; esac
	[ -e "$src" ] || die "--add $spec: $src does not exist"
	mkdir -p "$ST$(dirname "$dst")"
	cp -a "$src" "$ST$dst"
done

# ---- archive ----------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
(cd "$ST" && find . -mindepth 1 | LC_ALL=C sort |
	kt_run cpio "$ROOT/bin/busybox" -o -H newc -R 0:0 2>/dev/null) | gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
say "wrote $OUT ($(du -h --apparent-size "$OUT" | cut -f1), kernel $KVER)"
