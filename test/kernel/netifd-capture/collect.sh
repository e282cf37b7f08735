#!/usr/bin/env bash
# test/kernel/netifd-capture/collect.sh — the host half of `make kernel-capture-netifd`: copy each
# case the guest captured (test/kernel/netifd-capture/run.sh) from RESULTS/<case>/ to
# FIXTURES/guest-<case>/, byte for byte, with a PROVENANCE.md that says how it was made.
#
# Usage: collect.sh RESULTS FIXTURES STAGE [RUN_LOG]
#   RESULTS   the guest's results (run-guest.sh --out), e.g. test-results/kernel/netifd-capture
#   FIXTURES  where the fixture dirs go, e.g. test/fixtures/netifd
#   STAGE     the platform stage the guest ran (scripts/platform/build.sh): its BUILDINFO must
#             name the commits of scripts/platform/upstream.tsv, else nothing is written
#   RUN_LOG   run-guest.sh's own output (accel, build and run times), quoted when given
#
# A case is taken only when every guest check of it passed (interfaces up, flowtable ft in
# software and in hardware mode) and every file the tests read is there; any other case is
# dropped: its old fixture dir is removed and FIXTURES/PROVENANCE.md says why. Nothing is edited:
# the captures are copied as the guest wrote them (their sha256 is in each PROVENANCE.md).
set -euo pipefail

[ $# -ge 3 ] || { sed -n '5,10p' "$0" >&2; exit 2; }
RES=$1 FIX=$2 STAGE=$3 RUNLOG=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
TSV=$REPO/scripts/platform/upstream.tsv
die() { echo "netifd-capture collect: ERROR: $*" >&2; exit 1; }

[ -s "$RES/checks.txt" ] || die "no $RES/checks.txt (did the guest run?)"
[ -s "$RES/uname_a.txt" ] || die "no $RES/uname_a.txt"
BI=$STAGE/usr/share/platform/BUILDINFO
[ -f "$BI" ] || die "no $BI"

# The captured files the tests read (test/unit/calc/netifd-guest.test.ts) and the ones that
# explain them; every one must be there for a case to be taken.
FILES=(network_interface_dump.json network_device_status.json sys_class_net_lower.txt sys_class_net_uevent.txt
	nft_flowtable_ft_sw.txt nft_flowtable_ft_hw.txt nft_forward_sw.txt nft_forward_hw.txt nft_calls_hw.txt
	fw4_reload_sw.txt fw4_reload_hw.txt firewall_defaults_sw.txt firewall_defaults_hw.txt)

commit() { awk -F'\t' -v n="$1" '$1 == n { print $NF }' "$2"; }
for p in netifd firewall4 ucode ubus libubox uci; do
	want=$(commit "$p" "$TSV")
	got=$(commit "$p" "$BI")
	[ -n "$want" ] && [ "$want" = "$got" ] || die "$p: upstream.tsv pins '${want}', the stage was built from '${got}'"
done

kver=$(cat "$RES/uname.txt")
uname_a=$(cat "$RES/uname_a.txt")
nftv=$(cat "$RES/nft_version.txt" 2>/dev/null || echo unknown)
kdeb=$(cd "$REPO/.cache/kernel/debs" 2>/dev/null && ls "linux-image-${kver}_"*.deb 2>/dev/null | head -n 1 || true)
qemu=$(qemu-system-x86_64 --version 2>/dev/null | head -n 1 || echo unknown)
date=$(date -u -r "$RES/console.log" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || date -u '+%Y-%m-%d %H:%M UTC')
guest_s=$(sed -n 's/^payload_done_uptime=//p' "$RES/_guest/timing.txt" 2>/dev/null || true)
runline=$( { [ -n "$RUNLOG" ] && grep -h 'run-guest\[netifd-capture\]: kernel ' "$RUNLOG"; } 2>/dev/null | tail -n 1 || true)
head_rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
payload_sum=$(sha256sum "$HERE/run.sh" | cut -c1-16)

mkdir -p "$FIX"
taken=() dropped=()
for d in "$RES"/*/; do
	c=$(basename "$d")
	[ "$c" != _guest ] || continue
	[ -f "$HERE/cases/$c/network" ] || continue
	why=$(grep -E "^FAIL $c-" "$RES/checks.txt" | sed 's/^FAIL //' | tr '\n' ';' || true)
	for f in "${FILES[@]}"; do [ -s "$d/$f" ] || why="${why:+$why }missing $f;"; done
	out=$FIX/guest-$c
	rm -rf "$out"
	if [ -n "$why" ]; then
		dropped+=("$c: ${why%;}")
		continue
	fi
	mkdir -p "$out"
	for f in "${FILES[@]}"; do cp "$d/$f" "$out/$f"; done
	# the inputs: the case's /etc/config/network and the firewall config fw4 started from
	cp "$HERE/cases/$c/network" "$out/network"
	cp "$RES/firewall.base" "$out/firewall"

	ft() { sed -n 's/^[[:space:]]*devices = { \(.*\) }$/\1/p' "$out/$1" | head -n 1; }
	probe=$(sed -n 's/^[[:space:]]*devices = { \(.*\) };$/\1/p' "$out/nft_calls_hw.txt" | tr -d '"' | head -n 1)
	# the case's own description: the comment block at the top of its network file
	title=$(awk '!/^#/ { exit } { sub(/^# ?/, ""); printf "%s%s", (NR > 1 ? " " : ""), $0 }' "$out/network" | sed 's/^Case [^:]*: //')
	{
		echo "# Provenance: test/fixtures/netifd/guest-$c/"
		echo
		echo "Real output of the real OpenWrt programs, not edited: \`make kernel-capture-netifd\` (mk/kernel.mk) booted"
		echo "Debian's kernel in QEMU with the platform tier's OpenWrt userland and ran"
		echo "\`test/kernel/netifd-capture/run.sh\` (sha256 ${payload_sum}…, repository at ${head_rev}); for this case it"
		echo "built a fresh lan — router — wan topology of veth pairs (the router ends \`rlan\`, \`rlan2\`, \`rwan\`$( [ -f "$HERE/cases/$c/topology.sh" ] && echo "; the end hosts adjusted by \`test/kernel/netifd-capture/cases/$c/topology.sh\`" )),"
		echo "put \`network\` (below) at \`/etc/config/network\`, started \`netifd -S\` in the router namespace, waited for"
		echo "every interface to be up, captured netifd's answers and sysfs, then ran \`fw4 start\`, \`fw4 reload\` with"
		echo "\`flow_offloading=1\` and \`fw4 reload\` with \`flow_offloading_hw=1\` as well, listing the flowtable after each."
		echo
		echo "Case: ${title:-$c}"
		echo
		echo "- Captured: $date"
		echo "- Kernel: \`$uname_a\`${kdeb:+ (Debian package \`$kdeb\`)}"
		echo "- nft: $nftv (Debian 12); QEMU: $qemu"
		echo "- netifd \`$(commit netifd "$TSV")\`, firewall4 \`$(commit firewall4 "$TSV")\`, ucode \`$(commit ucode "$TSV")\`,"
		echo "  ubus \`$(commit ubus "$TSV")\`, libubox \`$(commit libubox "$TSV")\`, uci \`$(commit uci "$TSV")\`"
		echo "  (scripts/platform/upstream.tsv; the stage's BUILDINFO names the same commits), built on Debian 12 by"
		echo "  \`scripts/platform/build.sh\` from the pinned source tarballs"
		echo "- Command: \`make kernel-capture-netifd\` = \`test/kernel/run-guest.sh --stage <stage> --no-qjs --host-bin /usr/bin/flock=/usr/bin/flock --host-bin .cache/kernel/root/sbin/bridge=/sbin/bridge --add <stage>/usr/share/platform/defaults/firewall=/etc/config/firewall --out test-results/kernel/netifd-capture test/kernel/netifd-capture 600\`, then this collect.sh"
		[ -z "$runline" ] || echo "- The run: \`${runline#run-guest\[netifd-capture\]: }\`"
		[ -z "$guest_s" ] || echo "- All cases of the run were done ${guest_s} s after the guest kernel started"
		echo "- Guest checks of this case: $(grep -E "^(PASS|FAIL) $c-" "$RES/checks.txt" | sed 's/^PASS //' | tr '\n' ' ' | sed 's/ $//')"
		echo
		echo "What it shows: fw4's flowtable \`ft\` with \`devices = { $(ft nft_flowtable_ft_sw.txt) }\` in software mode; in hardware"
		echo "mode fw4 lowered the devices to \`$probe\` for its probe \`nft -c … flags offload\` (\`nft_calls_hw.txt\`), the kernel"
		echo "refused it on veth, fw4 printed \`$(grep -m1 '^\[!\]' "$out/fw4_reload_hw.txt" || echo '(no warning)')\` and loaded the"
		echo "software flowtable \`devices = { $(ft nft_flowtable_ft_hw.txt) }\`."
		echo
		echo "| file | what it is |"
		echo "|---|---|"
		echo "| \`network\` | the input: the case's \`/etc/config/network\` (\`test/kernel/netifd-capture/cases/$c/network\`) |"
		echo "| \`firewall\` | the input: \`/etc/config/firewall\` before \`fw4 start\` = firewall4's own default config from the stage (\`usr/share/platform/defaults/firewall\`); the run sets \`flow_offloading\` / \`flow_offloading_hw\` with \`uci set\` |"
		echo "| \`network_interface_dump.json\` | \`ubus call network.interface dump\` (netifd) |"
		echo "| \`network_device_status.json\` | \`ubus call network.device status\` (netifd; fw4 reads \`devtype\` from it) |"
		echo "| \`sys_class_net_lower.txt\` | the \`lower_*\`/\`upper_*\` links of each device in the router namespace (\`ls -l /sys/class/net/<dev>/\`) |"
		echo "| \`sys_class_net_uevent.txt\` | \`/sys/class/net/<dev>/uevent\` of every device in the router namespace (which devices exist, the kernel's DEVTYPE) |"
		echo "| \`fw4_reload_sw.txt\`, \`firewall_defaults_sw.txt\`, \`nft_flowtable_ft_sw.txt\`, \`nft_forward_sw.txt\` | \`fw4 reload\` output + exit status, \`uci show firewall.@defaults[0]\`, \`nft list flowtable inet fw4 ft\`, \`nft list chain inet fw4 forward\` with \`flow_offloading=1\` |"
		echo "| \`fw4_reload_hw.txt\`, \`firewall_defaults_hw.txt\`, \`nft_flowtable_ft_hw.txt\`, \`nft_forward_hw.txt\` | the same with \`flow_offloading_hw=1\` too |"
		echo "| \`nft_calls_hw.txt\` | every \`/usr/sbin/nft\` call of that hardware-mode reload, as a logging wrapper around the real nft saw it (for \`nft -c\`: its stderr and exit status) |"
		echo
		echo "sha256 of the copied files:"
		echo
		echo '```'
		(cd "$out" && sha256sum "${FILES[@]}" network firewall)
		echo '```'
		echo
		echo "Used by \`test/unit/calc/netifd-guest.test.ts\`."
	} >"$out/PROVENANCE.md"
	taken+=("$c")
done

{
	echo "# Provenance: test/fixtures/netifd/"
	echo
	echo "\`guest-<case>/\`: real netifd + real fw4 captures from the QEMU kernel guest, written by"
	echo "\`make kernel-capture-netifd\` (test/kernel/netifd-capture/collect.sh) on $date, kernel \`$kver\`,"
	echo "netifd \`$(commit netifd "$TSV")\`, firewall4 \`$(commit firewall4 "$TSV")\`. Each dir's PROVENANCE.md says how."
	echo
	echo "Captured: ${taken[*]:-none}."
	if [ ${#dropped[@]} -gt 0 ]; then
		echo
		echo "Dropped (the guest could not bring them up as configured, so there is nothing real to keep):"
		for x in "${dropped[@]}"; do echo "- $x"; done
	fi
} >"$FIX/PROVENANCE.md"

echo "netifd-capture collect: ${#taken[@]} case(s) in $FIX: ${taken[*]:-none}${dropped:+; dropped: ${#dropped[@]} (see $FIX/PROVENANCE.md)}"
[ ${#taken[@]} -gt 0 ] || exit 1
