#!/bin/sh
# Kernel tier smoke payload: proves the guest can do what the real tests need.
#  1. lan/router/wan namespaces; a fw4-shaped ruleset with a software flowtable
#     (fw4_sw.nft) loads in the router;
#  2. an iperf3 TCP flow lan -> wan is forwarded and shows up as [OFFLOAD] in the
#     router's /proc/net/nf_conntrack while it runs;
#  3. fw4's hardware-offload probe (`nft -c` of a flowtable with `flags offload;` on the
#     veths) FAILS — the kernel refuses hardware offload on veth, which is the case in
#     which fw4 falls back to software offloading; the same probe without the flag passes;
#  4. the real QuickJS qjs runs a module script that reads /proc/stat.
# Captured files end up in /results (sent back to the host).
. /usr/share/kt/netns.sh
. /usr/share/kt/check.sh
R=$KT_RESULTS

uname -a >"$R/uname.txt"
# plain `ip` must be iproute2 (busybox-static's applet would shadow it; Debian's dynamic
# busybox, used here, does not)
kt_check ip-is-iproute2 sh -c 'ip -V | grep -q iproute2'
kt_log "topology"
if kt_netns_setup >"$R/netns_setup.log" 2>&1; then
	kt_pass netns-setup
else
	kt_fail netns-setup "$(tail -3 "$R/netns_setup.log")"
	kt_finish
	exit 1
fi
kt_check lan-reaches-wan-routed kt_wait_ping lan "$KT_WAN_IP" 20

# 1. fw4-shaped ruleset with a software flowtable
if kt_router_nft /payload/fw4_sw.nft 2>"$R/nft_load.stderr"; then
	kt_pass nft-load-fw4-sw
else
	kt_fail nft-load-fw4-sw "$(cat "$R/nft_load.stderr")"
fi
kt_in router nft list ruleset >"$R/nft_ruleset.txt" 2>&1
kt_in router nft list flowtables >"$R/nft_flowtables.txt" 2>&1
kt_check_grep flowtable-listed 'flowtable ft' "$R/nft_flowtables.txt"

# 2. a TCP flow through the router is offloaded
kt_log "iperf3"
kt_iperf_server || kt_fail iperf3-server "did not start"
cat /proc/stat >"$R/proc_stat_before.txt"
kt_iperf_client 4 "$R/iperf3_tcp.json" &
client=$!
# poll the router's conntrack table until an entry is offloaded (or the client ends)
found=0 i=0
while [ $i -lt 40 ]; do
	sleep 0.25
	kt_in router cat /proc/net/nf_conntrack >"$R/proc_net_nf_conntrack.txt"
	if grep -q '\[OFFLOAD\]' "$R/proc_net_nf_conntrack.txt"; then found=1; break; fi
	kill -0 $client 2>/dev/null || break
	i=$((i + 1))
done
[ $found = 1 ] && sleep 1 # let counters run a little, then take the full snapshot
kt_in router cat /proc/net/nf_conntrack >"$R/proc_net_nf_conntrack.txt"
kt_in router conntrack -L >"$R/conntrack_L.txt" 2>"$R/conntrack_L.stderr"
kt_in router cat /proc/net/dev >"$R/proc_net_dev.txt"
kt_in router nft list flowtable inet fw4 ft >"$R/nft_flowtable_during.txt" 2>&1
wait $client
client_rc=$?
cat /proc/stat >"$R/proc_stat_after.txt"
kt_in router conntrack -L >"$R/conntrack_L_after.txt" 2>&1
kt_check_grep conntrack-offload '\[OFFLOAD\]' "$R/proc_net_nf_conntrack.txt"
kt_check_grep conntrack-L-offload '\[OFFLOAD\]' "$R/conntrack_L.txt"
mbps=$(kt_iperf_mbps "$R/iperf3_tcp.json")
echo "tcp_mbps=${mbps:-0}" >"$R/iperf3_summary.txt"
if [ "$client_rc" = 0 ] && [ "${mbps:-0}" -gt 0 ]; then
	kt_pass "iperf3-tcp ($mbps Mbit/s)"
else
	kt_fail iperf3-tcp "client exit $client_rc, ${mbps:-?} Mbit/s"
fi

# 3. fw4's hardware offload probe (firewall4 fw4.uc nft_try_hw_offload) on veth
probe='add table inet fw4-hw-offload-test; add flowtable inet fw4-hw-offload-test ft { hook ingress priority 0; devices = { "rlan", "rwan" }; flags offload; }'
kt_in router nft -c "$probe" >"$R/nft_hw_probe.txt" 2>&1
echo "exit=$?" >>"$R/nft_hw_probe.txt"
kt_check_grep hw-offload-refused '^exit=[1-9]' "$R/nft_hw_probe.txt"
kt_check_grep hw-offload-refused-msg 'Operation not supported' "$R/nft_hw_probe.txt"
sw_probe=$(echo "$probe" | sed 's/ flags offload;//')
kt_in router nft -c "$sw_probe" >"$R/nft_sw_probe.txt" 2>&1
echo "exit=$?" >>"$R/nft_sw_probe.txt"
kt_check_grep sw-probe-accepted '^exit=0$' "$R/nft_sw_probe.txt"
kt_check_not hw-probe-left-nothing kt_in router nft list table inet fw4-hw-offload-test

# 4. QuickJS
if [ -x /usr/bin/qjs ]; then
	qjs -m /payload/procstat.mjs >"$R/qjs_procstat.json" 2>"$R/qjs_procstat.stderr"
	kt_check_grep qjs-reads-proc-stat '"label":"cpu","cpus":[1-9]' "$R/qjs_procstat.json"
else
	kt_fail qjs-present "/usr/bin/qjs missing"
fi

kt_finish
