#!/usr/bin/env bash
# test/kernel/run-guest.sh — run a payload inside Debian's real kernel under QEMU.
#
# Usage: test/kernel/run-guest.sh [options] PAYLOAD_DIR [TIMEOUT_S]
#   PAYLOAD_DIR        copied to /payload in the guest; /init runs /payload/run.sh (busybox sh)
#                      which writes its results into /results. Helpers for it:
#                      /usr/share/kt/netns.sh (lan/router/wan topology, iperf3) and
#                      /usr/share/kt/check.sh (PASS/FAIL lines + /results/exit-code).
#   TIMEOUT_S          limit for run.sh inside the guest (default 300); the whole VM is
#                      killed after TIMEOUT_S + 90 s.
# Options:
#   --out DIR          results directory (default: PAYLOAD_DIR/../results/<payload name>);
#                      emptied first, then holds the guest's /results plus console.log
#   --qjs PATH | --no-qjs | --add HOST=GUEST | --modules "M ..."   passed to build-initramfs.sh
#                      (default qjs: $QJS, else scripts/ensure-qjs.sh)
#   --stage DIR | --luci | --host-bin SRC=GUEST   passed to build-initramfs.sh (the real
#                      OpenWrt userland; --luci: with the stage's real LuCI)
#   --hostfwd SPEC     give the guest one NIC (QEMU user networking, restrict=on: no route to
#                      the host or beyond) and forward a host port into it, e.g.
#                      tcp:127.0.0.1:8080-:80 (loopback only; repeatable). The guest sees eth0
#                      on 10.0.2.0/24 (10.0.2.15 is QEMU's default guest address). Default: -nic none
#   --accel kvm|tcg    default: KVM only when /dev/kvm is a stock kvm_intel/kvm_amd, else TCG
#                      (also KT_ACCEL=...)
#   --mem MB --smp N   guest size (default 1024, 2)
#   --pin              pin each vCPU thread of QEMU to its own host CPU (vCPU i -> host CPU
#                      i mod the host's CPUs; taskset on the "CPU i/TCG|KVM" threads), written
#                      to OUT/_host/pinning.txt. Always: OUT/_host/samples.tsv, the host's load
#                      and CPU time next to QEMU's own every 2 s (how busy the host was otherwise)
#   -v                 also stream the guest console to stderr
#
# Exit status: 0 when the guest delivered its results and /results/exit-code is 0;
# 1 when the payload failed; 2 when the guest delivered nothing usable (boot failure,
# time-out, crash: see console.log). Serialised with a lock: one guest at a time.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/host.sh
. "$HERE/lib/host.sh"

OUT='' ACCEL=${KT_ACCEL:-} MEM=1024 SMP=2 VERBOSE=0 NIC=none PIN=0
BUILD_ARGS=()
ARGS=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) OUT=$2; shift 2 ;;
	--qjs | --add | --modules | --stage | --host-bin) BUILD_ARGS+=("$1" "$2"); shift 2 ;;
	--hostfwd)
		case $2 in tcp:127.0.0.1:*) ;; *) echo "run-guest: --hostfwd must be tcp:127.0.0.1:PORT-:GUESTPORT" >&2; exit 2 ;; esac
		[ "$NIC" = none ] && NIC=user,model=virtio-net-pci,restrict=on
		NIC="$NIC,hostfwd=$2"
		shift 2
		;;
	--no-qjs | --luci) BUILD_ARGS+=("$1"); shift ;;
	--accel) ACCEL=$2; shift 2 ;;
	--mem) MEM=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--pin) PIN=1; shift ;;
	-v | --verbose) VERBOSE=1; shift ;;
	-h | --help) sed -n '2,38p' "$0"; exit 0 ;;
	-*) echo "run-guest: unknown option $1" >&2; exit 2 ;;
	*) ARGS+=("$1"); shift ;;
	esac
done
if [ ${#ARGS[@]} -lt 1 ] || [ ${#ARGS[@]} -gt 2 ]; then sed -n '3,4p' "$0" >&2; exit 2; fi
PAYLOAD=$(cd "${ARGS[0]}" && pwd) || exit 2
TIMEOUT=${ARGS[1]:-300}
NAME=$(basename "$PAYLOAD")
OUT=${OUT:-$(dirname "$PAYLOAD")/results/$NAME}

say() { echo "run-guest[$NAME]: $*" >&2; }
die() { echo "run-guest[$NAME]: ERROR: $*" >&2; exit 2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- QEMU ---------------------------------------------------------------------------
QEMU=$(command -v qemu-system-x86_64 || true)
if [ -z "$QEMU" ]; then
	say "installing qemu-system-x86 (Debian package)"
	if [ -x "$KT_REPO/scripts/ensure-debs.sh" ]; then
		"$KT_REPO/scripts/ensure-debs.sh" qemu-system-x86 || die "cannot install qemu-system-x86"
	elif [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-system-x86 >&2 ||
			die "apt-get install qemu-system-x86 failed"
	else
		die "qemu-system-x86_64 missing: sudo apt-get install qemu-system-x86"
	fi
	QEMU=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 still missing"
fi

# KVM only when it is the stock kvm_intel/kvm_amd module and the device is usable; a
# nested or para-virtual /dev/kvm (e.g. kvm_pvm) crashes stock guest kernels.
if [ -z "$ACCEL" ]; then
	ACCEL=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ] &&
		{ [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
		ACCEL=kvm
	fi
fi
case $ACCEL in
kvm) ACCEL_ARGS=(-accel kvm -cpu host) ;;
tcg) ACCEL_ARGS=(-accel "tcg,thread=multi" -cpu max) ;;
*) die "--accel must be kvm or tcg" ;;
esac

# ---- build ------------------------------------------------------------------------------
mkdir -p "$CACHE"
exec 9>"$CACHE/run.lock"
flock 9 || die "cannot lock $CACHE/run.lock"

[ "$NIC" = none ] || BUILD_ARGS+=(--modules "virtio_pci virtio_net")
t0=$(now)
INITRD=$CACHE/initramfs.cpio.gz
"$HERE/build-initramfs.sh" -q --payload "$PAYLOAD" --out "$INITRD" ${BUILD_ARGS[@]+"${BUILD_ARGS[@]}"} ||
	die "building the initramfs failed"
kt_load_env || die "no kernel (fetch.sh failed?)"
t_build=$(elapsed "$t0")

rm -rf "$OUT"
mkdir -p "$OUT"
LOG=$OUT/console.log

# ---- the host around the VM ---------------------------------------------------------------
# qemu_of PID: the QEMU process under `timeout` (its child), once it exists
qemu_of() { pgrep -P "$1" -f qemu-system 2>/dev/null | head -n 1 || true; }
# host_sampler TIMEOUT_PID DIR: every 2 s one line "uptime_s load1 host_busy host_total qemu"
# (jiffies: the host's /proc/stat cpu line without idle/iowait, all of it, and QEMU's
# utime+stime over all its threads) until the VM is gone; with --pin, first pin the vCPUs.
host_sampler() {
	local t=$1 dir=$2 q='' i=0 n cpus tids tid name
	while [ -z "$q" ] && kill -0 "$t" 2>/dev/null && [ $i -lt 100 ]; do q=$(qemu_of "$t"); [ -n "$q" ] || sleep 0.1; i=$((i + 1)); done
	[ -n "$q" ] || return 0
	if [ "$PIN" = 1 ]; then
		cpus=$(nproc)
		# the vCPU threads appear once the machine is set up; wait for all SMP of them (≤ 20 s)
		i=0 n=0
		while [ $i -lt 200 ] && kill -0 "$q" 2>/dev/null; do
			n=$(grep -l '^CPU [0-9]*/' /proc/"$q"/task/*/comm 2>/dev/null | wc -l || true)
			[ "$n" -ge "$SMP" ] && break
			sleep 0.1; i=$((i + 1))
		done
		: >"$dir/pinning.txt"
		for tid in /proc/"$q"/task/*; do
			name=$(cat "$tid/comm" 2>/dev/null) || continue
			case $name in "CPU "[0-9]*/*) ;; *) continue ;; esac
			n=${name#CPU }; n=${n%%/*}
			if taskset -pc $((n % cpus)) "${tid##*/}" >/dev/null 2>&1; then
				echo "$name host-cpu=$((n % cpus)) host-cpus=$cpus" >>"$dir/pinning.txt"
			else echo "$name not-pinned (taskset failed)" >>"$dir/pinning.txt"; fi
		done
		[ -s "$dir/pinning.txt" ] || echo "no vCPU threads found" >"$dir/pinning.txt"
	fi
	while kill -0 "$q" 2>/dev/null; do
		awk -v q="$(awk '{ print $14 + $15 }' /proc/"$q"/stat 2>/dev/null)" \
			-v up="$(cut -d' ' -f1 /proc/uptime)" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
			'/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print up, l, t - $5 - $6, t, q; exit }' /proc/stat >>"$dir/samples.tsv"
		sleep 2
	done
}

# ---- boot ---------------------------------------------------------------------------
t1=$(now)
APPEND="console=ttyS0 quiet loglevel=4 panic=-1 rdinit=/init kt.timeout=$TIMEOUT"
set +e
# QEMU under timeout in the background: timeout makes its own process group, so a TERM/INT to
# this script is passed on to it explicitly (else the VM would outlive us until its limit)
# (debug-threads: the vCPU threads are named "CPU N/TCG", which --pin looks for)
timeout -k 5 $((TIMEOUT + 90)) "$QEMU" -nodefaults -no-user-config -name kt,debug-threads=on -M pc "${ACCEL_ARGS[@]}" \
	-smp "$SMP" -m "$MEM" -kernel "$VMLINUX" -initrd "$INITRD" -append "$APPEND" \
	-nographic -serial mon:stdio -nic "$NIC" -no-reboot </dev/null >"$LOG" 2>&1 &
qpid=$!
echo "$qpid" >"$OUT/.qemu.pid"   # for a caller that must stop the VM (test/kernel/stack-test.mjs)
mkdir -p "$OUT/_host"
host_sampler "$qpid" "$OUT/_host" &
spid=$!
trap 'kill -TERM "$qpid" 2>/dev/null' TERM INT HUP
[ "$VERBOSE" = 1 ] && tail -n +1 -f --pid="$qpid" "$LOG" >&2 &
wait "$qpid"
qrc=$?
while kill -0 "$qpid" 2>/dev/null; do
	wait "$qpid"
	qrc=$?
done
trap - TERM INT HUP
wait "$spid" 2>/dev/null || true
rm -f "$OUT/.qemu.pid"
set -e
t_boot=$(elapsed "$t1")

# ---- results ------------------------------------------------------------------------
summary_fail() {
	say "$1 (accel $ACCEL, qemu exit $qrc)"
	tr -d '\r' <"$LOG" | grep -m3 -E 'Kernel panic|BUG:|Oops:|kt: payload|kt: WARNING' | sed 's/^/    ! /' >&2 || true
	say "last console lines:"
	tr -d '\r' <"$LOG" | grep -v '^[A-Za-z0-9+/=]\{60,\}$' | tail -n 25 | sed 's/^/    | /' >&2
	say "full console log: $LOG"
	exit 2
}
[ "$qrc" = 124 ] || [ "$qrc" = 137 ] && summary_fail "VM killed after $((TIMEOUT + 90)) s"
begin=$(tr -d '\r' <"$LOG" | grep -m1 '^KT-RESULTS-BEGIN ' || true)
[ -n "$begin" ] || summary_fail "no results from the guest"
tr -d '\r' <"$LOG" | grep -q '^KT-RESULTS-END$' || summary_fail "results block truncated"
sum=${begin#KT-RESULTS-BEGIN }
tr -d '\r' <"$LOG" | sed -n '/^KT-RESULTS-BEGIN /,/^KT-RESULTS-END$/p' | sed '1d;$d' |
	grep '^[A-Za-z0-9+/=]*$' | base64 -d >"$OUT/.results.tgz" 2>/dev/null ||
	summary_fail "results block does not decode"
[ "$(sha256sum "$OUT/.results.tgz" | cut -d' ' -f1)" = "$sum" ] || summary_fail "results checksum mismatch"
tar -xzf "$OUT/.results.tgz" -C "$OUT" || summary_fail "results archive does not unpack"
rm -f "$OUT/.results.tgz"

code=$(cat "$OUT/exit-code" 2>/dev/null || echo missing)
timing=""
if [ -f "$OUT/_guest/timing.txt" ]; then
	timing=$(tr '\n' ' ' <"$OUT/_guest/timing.txt")
fi
npass=$(grep -c '^PASS' "$OUT/checks.txt" 2>/dev/null || true)
nfail=$(grep -c '^FAIL' "$OUT/checks.txt" 2>/dev/null || true)
say "kernel $KVER, accel $ACCEL: build ${t_build}s, boot+run ${t_boot}s (guest: ${timing% }); checks ${npass:-0} passed, ${nfail:-0} failed"
if [ "$code" != 0 ]; then
	[ -f "$OUT/_guest/timeout" ] && say "$(cat "$OUT/_guest/timeout")"
	grep '^FAIL' "$OUT/checks.txt" 2>/dev/null | sed 's/^/    /' >&2 || true
	say "payload FAILED (exit-code $code); results and console.log in $OUT"
	exit 1
fi
say "OK; results in $OUT"
