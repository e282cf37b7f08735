#!/bin/sh
# Kernel tier: the real handler against the real kernel ("Real kernel proof").
#
# The built handler runs at /usr/libexec/rpcd/luci.offload inside the router namespace,
# with the simulator's uci and fw4 stand-ins as /sbin/uci and /sbin/fw4 (fw4 renders the
# fw4-shaped ruleset and loads it with the REAL nft; its hardware probe is the REAL
# `nft -c`). Everything is asserted through the handler's own methods:
#   1. set software   -> status: effective software, flowtable on rlan+rwan, rule present
#   2. iperf3 lan->wan -> stats: offloaded > 0; flows: the iperf3 flows are `software`; the
#                        packets bypass the router's ip_forward (Ip ForwDatagrams);
#                        flows/stats totals == grep -c over the raw conntrack file of the
#                        same moment (offloaded lines have no timeout column)
#   3. flush during an offloaded transfer -> what happens to the conntrack entry and the
#                        connection (flush_finding.txt)
#   4. set hardware on veth -> hardware-fallback, `warning` == fw4's exact text, and the
#                        flows are still offloaded in software
#   5. set off        -> state off, no flowtable in `nft list ruleset`, a new flow is not offloaded
# Raw captures go to /results.
. /usr/share/kt/netns.sh
. /usr/share/kt/check.sh
. /usr/share/kt/offload.sh
R=$KT_RESULTS
now() { cut -d' ' -f1 /proc/uptime; }
# fwd — the router's Ip ForwDatagrams: packets that took the normal forward path (ip_forward);
# packets of offloaded flows bypass it (the flowtable's ingress hook transmits them itself)
fwd() { kt_in router cat /proc/net/snmp | awk '/^Ip: [A-Z]/ { for (i = 1; i <= NF; i++) if ($i == "ForwDatagrams") c = i } /^Ip: [0-9]/ { print $c }'; }

uname -r >"$R/uname.txt"
kt_check offload-root-unset test -z "${OFFLOAD_ROOT:-}"
kt_check module-nft-flow-offload-loaded test -d /sys/module/nft_flow_offload

kt_log "topology"
if kt_netns_setup >"$R/netns_setup.log" 2>&1; then kt_pass netns-setup; else
	kt_fail netns-setup "$(tail -3 "$R/netns_setup.log")"
	kt_finish
	exit 1
fi
kt_iperf_server >>"$R/netns_setup.log" 2>&1 || kt_fail iperf3-server "did not start"

# ---- 0. the firewall as at boot: fw4 start with offloading off ----------------------------------
kt_log "fw4 start"
if ko_setup >"$R/fw4_start.txt" 2>&1; then kt_pass fw4-start; else
	kt_fail fw4-start "$(tail -3 "$R/fw4_start.txt")"
	kt_finish
	exit 1
fi
ip netns exec router "$KO_HANDLER" list >"$R/list.json" 2>"$R/list.stderr"
ko_true list-names-every-method "$R/list.json" "['status','stats','flows','diagnostics','set','flush'].every((m) => m in j)"
ko_call status '{}' "$R/status_initial.json"
ko_expect initial-state-off "$R/status_initial.json" 'j.effective.state' off
ko_expect status-firewall-fw4 "$R/status_initial.json" 'j.system.firewall' fw4
ko_expect status-module-loaded "$R/status_initial.json" 'j.module.nft_flow_offload' true
ko_expect status-software-capable "$R/status_initial.json" 'j.capabilities.software.available' true
ko_expect status-kernel "$R/status_initial.json" 'j.system.kernel' "$(uname -r)"
kt_in router nft list ruleset >"$R/nft_ruleset_initial.txt" 2>&1

# ---- 1. set software ------------------------------------------------------------------------------
kt_log "set software"
ko_mode software "$R/set_software.json"
ko_expect set-software-no-warning "$R/set_software.json" 'j.warning' null
ko_call status '{}' "$R/status_software.json"
ko_expect software-state "$R/status_software.json" 'j.effective.state' software
ko_expect software-flowtable-devices "$R/status_software.json" 'j.effective.flowtable.devices.slice().sort().join(",")' rlan,rwan
ko_expect software-flowtable-not-hw "$R/status_software.json" 'j.effective.flowtable.hw' false
ko_expect software-rule "$R/status_software.json" 'j.effective.rule' true
ko_expect software-devices-in-flowtable "$R/status_software.json" \
	'j.devices.filter((d) => d.in_flowtable).map((d) => d.device + ":" + d.role).sort().join(",")' rlan:lan,rwan:wan
kt_in router nft list ruleset >"$R/nft_ruleset_software.txt" 2>&1
kt_check_grep nft-software-flowtable 'devices = \{ rlan, rwan \}' "$R/nft_ruleset_software.txt"
kt_check_grep nft-software-rule 'flow add @ft' "$R/nft_ruleset_software.txt"

# ---- 2. an offloaded transfer: stats, flows, and the parser against the raw table ----------------
kt_log "iperf3 (software offload)"
fwd_a=$(fwd)
kt_iperf_client 6 "$R/iperf3_software.json" &
client=$!
if ko_wait_offloaded 40; then kt_pass software-flow-offloaded; else kt_fail software-flow-offloaded "no [OFFLOAD] iperf3 entry"; fi
# other entry shapes next to the offloaded TCP lines: ICMP (timeout, no ports) and an unreplied
# UDP datagram (timeout, [UNREPLIED]); neither is offloaded
kt_in lan ping -c 2 -W 1 "$KT_WAN_IP" >/dev/null 2>&1
# (busybox nslookup: a DNS query to 10.0.2.2:53, answered by port unreachable only)
kt_in lan timeout 1 nslookup probe.invalid "$KT_WAN_IP" >/dev/null 2>&1 &
sleep 0.5
# The same moment: the raw file before and after the two calls must agree (same entry and
# [OFFLOAD] counts), else take it again.
try=0
while [ $try -lt 5 ]; do
	ko_ct "$R/nf_conntrack_software.txt"
	ko_call flows '{"limit":500,"mask":false}' "$R/flows_software.json"
	ko_call stats '{}' "$R/stats_software.json"
	ko_ct "$R/nf_conntrack_software_after.txt"
	a="$(ko_count . "$R/nf_conntrack_software.txt") $(ko_count '\[OFFLOAD\]' "$R/nf_conntrack_software.txt") $(ko_count "$KO_IPERF_RE.*\[OFFLOAD\]" "$R/nf_conntrack_software.txt")"
	b="$(ko_count . "$R/nf_conntrack_software_after.txt") $(ko_count '\[OFFLOAD\]' "$R/nf_conntrack_software_after.txt") $(ko_count "$KO_IPERF_RE.*\[OFFLOAD\]" "$R/nf_conntrack_software_after.txt")"
	[ "$a" = "$b" ] && break
	try=$((try + 1))
done
# shellcheck disable=SC2086 # split the three counts
set -- $a
n_lines=$1 n_off=$2 n_iperf_off=$3
n_hw=$(ko_count '\[HW_OFFLOAD\]' "$R/nf_conntrack_software.txt")
n_iperf=$(ko_count "$KO_IPERF_RE" "$R/nf_conntrack_software.txt")
printf 'entries=%s offload=%s hw_offload=%s iperf=%s iperf_offload=%s stable_after_retries=%s\n' \
	"$n_lines" "$n_off" "$n_hw" "$n_iperf" "$n_iperf_off" "$try" >"$R/nf_conntrack_software_counts.txt"
kt_check_grep raw-offloaded-line-has-no-timeout "^ipv4 +2 +tcp +6 +$KO_IPERF_RE.*\[OFFLOAD\]" "$R/nf_conntrack_software.txt"
ko_expect stats-offloaded-positive "$R/stats_software.json" 'j.conntrack.offloaded > 0' true
ko_expect stats-offloaded-eq-grep "$R/stats_software.json" 'j.conntrack.offloaded' "$n_off"
ko_expect stats-scanned-eq-grep "$R/stats_software.json" 'j.conntrack.scanned' "$n_lines"
ko_expect stats-source-proc "$R/stats_software.json" 'j.conntrack.source' proc
ko_true stats-devices-counted "$R/stats_software.json" \
	"j.devices.map((d) => d.device + ':' + d.role).sort().join() === 'rlan:lan,rwan:wan' && j.devices.every((d) => d.rx_bytes > 1e6 || d.tx_bytes > 1e6)"
ko_true stats-cpu-jiffies "$R/stats_software.json" 'j.cpu.cores.length === 2 && j.cpu.total.softirq > 0 && j.cpu.total.idle > 0'
ko_expect flows-total-eq-grep "$R/flows_software.json" 'j.total' "$n_lines"
ko_expect flows-offloaded-eq-grep "$R/flows_software.json" 'j.offloaded' "$n_off"
ko_expect flows-hw-offloaded-eq-grep "$R/flows_software.json" 'j.hw_offloaded' "$n_hw"
ko_expect flows-listed-eq-grep "$R/flows_software.json" 'j.flows.length' "$n_lines"
IPERF_JS="(f) => f.proto === 'tcp' && f.src === '$KT_LAN_IP' && f.dst === '$KT_WAN_IP' && f.dport === $KT_IPERF_PORT"
ko_expect flows-iperf-eq-grep "$R/flows_software.json" "j.flows.filter($IPERF_JS).length" "$n_iperf"
ko_expect flows-iperf-software-eq-grep "$R/flows_software.json" "j.flows.filter($IPERF_JS).filter((f) => f.offload === 'software').length" "$n_iperf_off"
ko_true flows-iperf-data-flow-software "$R/flows_software.json" \
	"((f) => f && f.offload === 'software' && f.tcp_state === null && f.why_not === null && f.bytes > 1e6 && f.sport > 0)(j.flows.filter($IPERF_JS)[0])"
ko_true flows-mixed-table "$R/flows_software.json" \
	"j.flows.some((f) => f.proto === 'icmp' && f.offload === 'none') && j.flows.some((f) => f.proto === 'udp' && f.offload === 'none' && /no reply/.test(f.why_not))"
ko_true flows-sorted-by-bytes "$R/flows_software.json" 'j.flows.every((f, i) => i === 0 || j.flows[i - 1].bytes >= f.bytes)'
wait $client
rc=$?
fwd_sw=$(($(fwd) - fwd_a))
# ~1448 payload bytes per packet: a 6 s transfer is tens of thousands of packets; offloaded,
# only the handshake and the first packets of each flow (plus the ping/DNS probes) are forwarded
pk_sw=$(($(kt_iperf_mbps "$R/iperf3_software.json") * 6 * 1000000 / 8 / 1448))
echo "forwarded_slow_path=$fwd_sw iperf_packets~$pk_sw" >"$R/forward_path_software.txt"
if [ "$fwd_sw" -lt 100 ] && [ "$pk_sw" -gt 10000 ]; then kt_pass "software-bypasses-forward-path ($fwd_sw of ~$pk_sw packets via ip_forward)"; else
	kt_fail software-bypasses-forward-path "$fwd_sw packets via ip_forward for ~$pk_sw iperf3 packets"
fi
if [ $rc = 0 ] && ! grep -q '"error"' "$R/iperf3_software.json"; then kt_pass "iperf3-software ($(kt_iperf_mbps "$R/iperf3_software.json") Mbit/s)"; else kt_fail iperf3-software "exit $rc"; fi

# ---- 3. flush while a flow is offloaded ---------------------------------------------------------------
# Evidence: ct-sampler.js reads the data connection's conntrack entry every ~5 ms (no process per
# sample); `nft monitor` (timestamped) shows when fw4's reload deleted and re-added the flowtable;
# iperf3's 0.5 s intervals show whether the transfer stalled. flush-trace.js sums it up.
kt_log "flush during an offloaded transfer"
t_client=$(now)
kt_iperf_client 12 "$R/iperf3_flush.json" -i 0.5 &
client=$!
ko_wait_offloaded 40 || kt_fail flush-precondition "no offloaded iperf3 flow before the flush"
sleep 0.5
ko_ct "$R/nf_conntrack_flush_before.txt"
kt_in router nft -a list flowtables >"$R/nft_flowtables_flush_before.txt" 2>&1
# the data connection: the offloaded iperf3 flow with the most bytes
sport=$(grep -E "$KO_IPERF_RE.*\[OFFLOAD\]" "$R/nf_conntrack_flush_before.txt" |
	sed -E 's/.* sport=([0-9]+) dport=5201 packets=[0-9]+ bytes=([0-9]+) .*/\2 \1/' | sort -n | tail -1 | cut -d' ' -f2)
rm -f /tmp/stop-sampler
kt_in router sh -c 'nft monitor 2>&1 | while IFS= read -r l; do read -r up _ </proc/uptime; echo "$up $l"; done' \
	>"$R/flush_nft_monitor.txt" 2>&1 &
kt_in router qjs /payload/ct-sampler.js "${sport:-0}" /tmp/stop-sampler 5 >"$R/flush_trace.txt" 2>&1 &
sampler=$!
sleep 0.5
t0=$(now)
ko_call flush '{}' "$R/flush.json"
t1=$(now)
sleep 1.5
touch /tmp/stop-sampler
wait $sampler
wait $client
rc=$?
echo "$rc" >"$R/iperf3_flush.exit"
ko_ct "$R/nf_conntrack_flush_after.txt"
kt_in router nft -a list flowtables >"$R/nft_flowtables_flush_after.txt" 2>&1
qjs /payload/flush-trace.js "$R/flush_trace.txt" "$R/flush_nft_monitor.txt" "$t0" "$t1" "$R/iperf3_flush.json" "$t_client" \
	>"$R/flush_analysis.json" 2>&1
ko_true flush-result "$R/flush.json" "!j.error && typeof j.reload_ms === 'number' && typeof j.detail === 'string'"
ko_true flush-saw-offloaded-before "$R/flush.json" 'j.offloaded_before >= 1'
ko_true flush-evidence "$R/flush_analysis.json" 'j.samples > 50 && j.before_swap[0] > 0 && j.after_swap[0] > 0'
ko_true flush-reload-committed "$R/flush_analysis.json" 'j.batch_generation !== null && j.batch_first_event_ms >= 0'
# fw4's reload deletes flowtable ft and adds it again: a new kernel object, so a new handle
h_before=$(sed -nE 's/.*flowtable ft \{ # handle ([0-9]+).*/\1/p' "$R/nft_flowtables_flush_before.txt")
h_after=$(sed -nE 's/.*flowtable ft \{ # handle ([0-9]+).*/\1/p' "$R/nft_flowtables_flush_after.txt")
if [ -n "$h_before" ] && [ -n "$h_after" ] && [ "$h_before" != "$h_after" ]; then kt_pass "flush-flowtable-recreated (handle $h_before -> $h_after)"; else
	kt_fail flush-flowtable-recreated "flowtable handle before '$h_before', after '$h_after'"
fi
# What the guest showed (asserted as observed, see flush_finding.txt): the conntrack entry is
# kept, the connection survives without a stalled interval, and the flow is [OFFLOAD] again.
ko_true flush-conntrack-entry-kept "$R/flush_analysis.json" 'j.entry_kept'
ko_true flush-flow-offloaded-again "$R/flush_analysis.json" 'j.offloaded_at_end === true'
ko_true flush-connection-survived "$R/flush_analysis.json" 'j.iperf.error === null && j.iperf.min_interval_mbps > 0'
if [ "$rc" = 0 ]; then kt_pass flush-iperf3-exit-0; else kt_fail flush-iperf3-exit-0 "iperf3 exit $rc"; fi
{
	fr_ms=$(jx "$R/flush.json" 'j.reload_ms' 2>&1)
	fr_ba=$(jx "$R/flush.json" '[j.offloaded_before, j.offloaded_after].join(" / ")' 2>&1)
	echo "# What \`flush\` costs users (real kernel $(uname -r), TCG guest)"
	echo
	echo "An iperf3 TCP transfer lan -> wan (software offload; data connection sport ${sport:-?}) was running"
	echo "and [OFFLOAD] when the handler's \`flush\` ran (fw4 reload: flowtable ft deleted and re-added in one nft transaction)."
	echo
	jx "$R/flush_analysis.json" "[
		'- flush call ' + j.flush_call_ms + ' ms (fw4 reload $fr_ms ms); offloaded flows before / after the reload per the handler: $fr_ba',
		'- flowtable ft recreated (handle $h_before -> $h_after); nft monitor saw the reload batch (' + j.batch_events + ' events, ' + j.batch_generation + ') from +' + j.batch_first_event_ms + ' to +' + j.batch_generation_ms + ' ms after the call started; times below are from its first event',
		'- conntrack entry of the data connection sampled ' + j.samples + ' times (median gap ' + j.sample_gap_ms_median + ' ms, max ' + j.sample_gap_ms_max + ' ms); [offloaded, slow path, absent] before the swap ' + JSON.stringify(j.before_swap) + ', after ' + JSON.stringify(j.after_swap),
		'- entry kept throughout: ' + (j.entry_kept ? 'yes' : 'NO') + '; last sample before the swap ' + JSON.stringify(j.last_before_swap) + '; first after ' + JSON.stringify(j.first_after_swap),
		'- slow-path windows (entry without [OFFLOAD], closing excluded): ' + (j.slow_windows.length ? JSON.stringify(j.slow_windows) : 'none caught: the flow was [OFFLOAD] again within one sample gap of the swap'),
		'- offloaded at the end of sampling: ' + j.offloaded_at_end,
		'- iperf3: ' + (j.iperf.error === null ? 'no error' : 'ERROR ' + j.iperf.error) + ', exit $rc, ' + j.iperf.received_mbps + ' Mbit/s overall, ' + j.iperf.retransmits + ' retransmits; 0.5 s intervals around the swap ' + JSON.stringify(j.iperf.swap_intervals_mbps) + ' Mbit/s vs median of the others ' + j.iperf.other_intervals_median_mbps + ', slowest ' + j.iperf.min_interval_mbps,
	].join('\n')"
} >"$R/flush_finding.txt" 2>&1

# ---- 4. set hardware on veth: fw4 falls back -----------------------------------------------------------
kt_log "set hardware"
ko_mode hardware "$R/set_hardware.json"
ko_expect set-hardware-warning-is-fw4s "$R/set_hardware.json" 'j.warning' "$KO_FALLBACK"
ko_call status '{}' "$R/status_hardware.json"
ko_expect hardware-fallback-state "$R/status_hardware.json" 'j.effective.state' hardware-fallback
ko_expect hardware-fallback-mode "$R/status_hardware.json" 'j.effective.mode' software
ko_expect hardware-fallback-flowtable "$R/status_hardware.json" 'j.effective.flowtable.devices.slice().sort().join(",") + " hw=" + j.effective.flowtable.hw' 'rlan,rwan hw=false'
ko_expect hardware-last-warning "$R/status_hardware.json" 'j.last_warning && j.last_warning.text' "$KO_FALLBACK"
ko_expect hardware-capability-refused "$R/status_hardware.json" 'j.capabilities.hardware.available' false
kt_in router nft list ruleset >"$R/nft_ruleset_hardware.txt" 2>&1
kt_check_not nft-hardware-no-offload-flag grep -q 'flags offload' "$R/nft_ruleset_hardware.txt"
kt_check_not hw-probe-table-left-behind grep -q 'fw4-hw-offload-test' "$R/nft_ruleset_hardware.txt"
kt_log "iperf3 (hardware-fallback)"
kt_iperf_client 3 "$R/iperf3_hardware.json" &
client=$!
if ko_wait_offloaded 40; then kt_pass fallback-flow-offloaded-in-software; else kt_fail fallback-flow-offloaded-in-software "no [OFFLOAD] iperf3 entry"; fi
ko_ct "$R/nf_conntrack_hardware.txt"
kt_check_not fallback-no-hw-offload-entries grep -q 'HW_OFFLOAD' "$R/nf_conntrack_hardware.txt"
wait $client

# ---- 5. set off: no flowtable, a new flow is not offloaded ---------------------------------------------
kt_log "set off"
ko_mode off "$R/set_off.json"
ko_expect set-off-no-warning "$R/set_off.json" 'j.warning' null
ko_call status '{}' "$R/status_off.json"
ko_expect off-state "$R/status_off.json" 'j.effective.state' off
ko_expect off-no-flowtable "$R/status_off.json" 'j.effective.flowtable' null
ko_expect off-no-rule "$R/status_off.json" 'j.effective.rule' false
kt_in router nft list ruleset >"$R/nft_ruleset_off.txt" 2>&1
kt_check_grep nft-off-table-loaded 'table inet fw4' "$R/nft_ruleset_off.txt"
kt_check_not nft-off-no-flowtable grep -q flowtable "$R/nft_ruleset_off.txt"
kt_check_not nft-off-no-rule grep -q 'flow add' "$R/nft_ruleset_off.txt"
kt_log "iperf3 (offload off)"
ko_ct "$R/nf_conntrack_off_before.txt"
fwd_a=$(fwd)
kt_iperf_client 3 "$R/iperf3_off.json" &
client=$!
sleep 1.5
ko_ct "$R/nf_conntrack_off.txt"
ko_call stats '{}' "$R/stats_off.json"
ko_call flows '{"limit":500,"mask":false}' "$R/flows_off.json"
# the new flows: sport not present before the run
new_off=0
for p in $(grep -E "$KO_IPERF_RE" "$R/nf_conntrack_off.txt" | sed -E 's/.* sport=([0-9]+) dport=5201 .*/\1/'); do
	grep -q " sport=$p dport=5201 " "$R/nf_conntrack_off_before.txt" && continue
	grep -E " sport=$p dport=5201 " "$R/nf_conntrack_off.txt" | grep -q OFFLOAD && new_off=$((new_off + 1))
done
new_n=$(grep -E "$KO_IPERF_RE" "$R/nf_conntrack_off.txt" | sed -E 's/.* sport=([0-9]+) dport=5201 .*/\1/' |
	while read -r p; do grep -q " sport=$p dport=5201 " "$R/nf_conntrack_off_before.txt" || echo "$p"; done | wc -l)
echo "new_iperf_flows=$new_n new_iperf_offloaded=$new_off" >"$R/nf_conntrack_off_counts.txt"
if [ "$new_n" -ge 1 ] && [ "$new_off" = 0 ]; then kt_pass "off-new-flow-not-offloaded ($new_n new flows)"; else
	kt_fail off-new-flow-not-offloaded "$new_n new iperf3 flows, $new_off offloaded"
fi
kt_check_not off-no-offload-in-table grep -q 'OFFLOAD' "$R/nf_conntrack_off.txt"
ko_expect off-stats-offloaded-zero "$R/stats_off.json" 'j.conntrack.offloaded' 0
ko_true off-flows-iperf-none "$R/flows_off.json" \
	"j.flows.filter($IPERF_JS).length > 0 && j.flows.filter($IPERF_JS).every((f) => f.offload === 'none') && j.flows.filter($IPERF_JS)[0].why_not === 'offloading is off'"
wait $client
rc=$?
fwd_off=$(($(fwd) - fwd_a))
pk_off=$(($(kt_iperf_mbps "$R/iperf3_off.json") * 3 * 1000000 / 8 / 1448))
echo "forwarded_slow_path=$fwd_off iperf_packets~$pk_off" >"$R/forward_path_off.txt"
if [ "$fwd_off" -gt $((pk_off / 2)) ]; then kt_pass "off-uses-forward-path ($fwd_off of ~$pk_off packets via ip_forward)"; else
	kt_fail off-uses-forward-path "$fwd_off packets via ip_forward for ~$pk_off iperf3 packets"
fi
if [ $rc = 0 ]; then kt_pass "iperf3-off ($(kt_iperf_mbps "$R/iperf3_off.json") Mbit/s)"; else kt_fail iperf3-off "exit $rc"; fi

# ---- summary ----------------------------------------------------------------------------------------------
{
	echo "software_mbps=$(kt_iperf_mbps "$R/iperf3_software.json")"
	echo "flush_mbps=$(kt_iperf_mbps "$R/iperf3_flush.json")"
	echo "hardware_fallback_mbps=$(kt_iperf_mbps "$R/iperf3_hardware.json")"
	echo "off_mbps=$(kt_iperf_mbps "$R/iperf3_off.json")"
	cat "$R/nf_conntrack_software_counts.txt"
	echo "set_ms software=$(jx "$R/set_software.json" j.reload_ms) hardware=$(jx "$R/set_hardware.json" j.reload_ms) off=$(jx "$R/set_off.json" j.reload_ms) flush=$(jx "$R/flush.json" j.reload_ms)"
} >"$R/summary.txt" 2>&1
kt_finish
