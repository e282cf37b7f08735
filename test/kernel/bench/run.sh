#!/bin/sh
# Kernel tier benchmark: flow offload off vs software in ONE guest, through the handler.
#
# End hosts with GSO/TSO off (the router forwards 1500-byte packets, like a real router);
# KBENCH_REPS interleaved runs per mode of KBENCH_SECS s of iperf3 lan -> wan, in ABBA order
# (rep 1: off, software; rep 2: software, off; ...) so a steady drift of the host's speed
# favours neither mode. The mode is switched with the handler's `set`; CPU is read with the
# handler's own `stats` right before and after each run (so the figures also exercise its CPU
# accounting; raw /proc/stat is captured next to each call to cross-check it), and the
# router's conntrack table is captured half-way through each run ([OFFLOAD] or not).
# The host (table.mjs) turns the raw files into test-results/kernel/bench/table.md.
. /usr/share/kt/netns.sh
. /usr/share/kt/check.sh
. /usr/share/kt/offload.sh
KBENCH_REPS=8 KBENCH_SECS=6
[ -f /etc/kbench.env ] && . /etc/kbench.env
R=$KT_RESULTS
uname -r >"$R/uname.txt"
echo "reps=$KBENCH_REPS secs=$KBENCH_SECS cpus=$(grep -c '^cpu[0-9]' /proc/stat)" >"$R/params.txt"

kt_log "topology"
if kt_netns_setup >"$R/netns_setup.log" 2>&1 && kt_iperf_server >>"$R/netns_setup.log" 2>&1 &&
	ko_setup >"$R/fw4_start.txt" 2>&1; then kt_pass setup; else
	kt_fail setup "$(tail -3 "$R/netns_setup.log" "$R/fw4_start.txt" 2>/dev/null)"
	kt_finish
	exit 1
fi
# MTU-sized packets through the router: no GSO/TSO on the end hosts (netns.sh does it too;
# done here explicitly because the benchmark depends on it)
kt_in lan ethtool -K lan0 gso off tso off >/dev/null 2>&1
kt_in wan ethtool -K wan0 gso off tso off >/dev/null 2>&1
kt_in lan ethtool -k lan0 >"$R/ethtool_k_lan0.txt" 2>&1
kt_in wan ethtool -k wan0 >"$R/ethtool_k_wan0.txt" 2>&1
for f in lan0 wan0; do
	if grep -q '^tcp-segmentation-offload: off' "$R/ethtool_k_$f.txt" && grep -q '^generic-segmentation-offload: off' "$R/ethtool_k_$f.txt"; then
		kt_pass "gso-tso-off-$f"
	else kt_fail "gso-tso-off-$f" "see ethtool_k_$f.txt"; fi
done

# warm-up (not counted): caches, ARP, the first qjs starts
kt_iperf_client 2 /tmp/warmup.json

runs=0
i=1
: >"$R/runs.tsv"
while [ "$i" -le "$KBENCH_REPS" ]; do
	order="off software"
	[ $((i % 2)) = 0 ] && order="software off"
	for mode in $order; do
		p="$R/run_$(printf %02d "$i")_$mode"
		kt_log "run $i/$KBENCH_REPS: $mode"
		ko_call set "{\"mode\":\"$mode\"}" "${p}_set.json"
		got=$(jx "${p}_set.json" 'j.status.effective.state' 2>&1)
		[ "$got" = "$mode" ] || kt_fail "run-$i-$mode-set" "effective state after set: $got"
		sleep 0.5
		kt_in router cat /proc/net/snmp >"${p}_snmp_before.txt"
		kt_in router cat /sys/class/net/rlan/statistics/rx_packets /sys/class/net/rwan/statistics/rx_packets >"${p}_rxpk_before.txt"
		ko_call stats '{"flows":false}' "${p}_stats_before.json"
		cat /proc/stat >"${p}_procstat_before.txt"
		kt_iperf_client "$KBENCH_SECS" "${p}_iperf.json" &
		client=$!
		sleep $((KBENCH_SECS / 2))
		ko_ct "${p}_conntrack.txt"
		wait $client
		rc=$?
		ko_call stats '{"flows":false}' "${p}_stats_after.json"
		cat /proc/stat >"${p}_procstat_after.txt"
		kt_in router cat /proc/net/snmp >"${p}_snmp_after.txt"
		kt_in router cat /sys/class/net/rlan/statistics/rx_packets /sys/class/net/rwan/statistics/rx_packets >"${p}_rxpk_after.txt"
		off=$(ko_count "$KO_IPERF_RE.*\[OFFLOAD\]" "${p}_conntrack.txt")
		mbps=$(kt_iperf_mbps "${p}_iperf.json")
		printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$mode" "${p##*/}" "$rc" "$off" >>"$R/runs.tsv"
		kt_log "  $mode: ${mbps:-?} Mbit/s, offloaded iperf3 flows: $off"
		[ "$rc" = 0 ] || kt_fail "run-$i-$mode-iperf3" "exit $rc"
		if [ "$mode" = software ] && [ "$off" -lt 1 ]; then kt_fail "run-$i-software-offloaded" "no [OFFLOAD] iperf3 flow"; fi
		if [ "$mode" = off ] && [ "$off" != 0 ]; then kt_fail "run-$i-off-not-offloaded" "$off [OFFLOAD] iperf3 flows"; fi
		runs=$((runs + 1))
	done
	i=$((i + 1))
done
[ "$KT_FAILED" = 0 ] && kt_pass "bench-runs ($runs)"
kt_finish
