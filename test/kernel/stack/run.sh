#!/bin/sh
# Kernel tier, real stack: the real OpenWrt userland (scripts/platform/build.sh's stage) as the
# router of the guest — ubusd, netifd (br-lan over rlan, rwan), rpcd with the unchanged handler
# as its exec plugin, uci, ucode + fw4 over Debian's nft, uhttpd serving /ubus on eth0:80 — over
# Debian's 6.1 kernel with flowtables. The host drives everything through uhttpd's /ubus
# (forwarded from host loopback; test/kernel/stack-test.mjs) and uses the control CGI on :8081
# only for test scaffolding (iperf3 clients, raw conntrack, nft listings, files).
#
# This script boots the stack, writes /tmp/kt-ready, and waits for the host's /tmp/kt-finish.
# With /etc/kt-demo present (make demo-kernel) it also runs iperf3 lan -> wan in a loop.
. /usr/share/kt/netns.sh
. /usr/share/kt/check.sh
. /payload/lib.sh
R=$KT_RESULTS
L=$R/stack
mkdir -p "$L" /var/run/ubus /tmp/lock /tmp/state /tmp/log
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
fatal() { kt_fail "$1" "$2"; kt_finish; exit 1; }
# bg LOG CMD... — a daemon in the background (its output in $L/LOG)
bg() { local log=$1; shift; "$@" >"$L/$log" 2>&1 </dev/null & }

kt_log "host link"
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 || fatal eth0 "no eth0 (virtio_net)"

kt_log "topology"
KT_ROUTER_NETIFD=1 kt_netns_setup >"$L/netns_setup.log" 2>&1 || fatal netns-setup "$(tail -3 "$L/netns_setup.log")"
kt_iperf_server >>"$L/netns_setup.log" 2>&1 || kt_fail iperf3-server "did not start"

# first boot: /etc/uci-defaults/* as OpenWrt's /etc/init.d/boot runs them (LuCI's themes register
# themselves in /etc/config/luci this way); a script that succeeds is removed
if [ -d /etc/uci-defaults ]; then
	(cd /etc/uci-defaults && for f in *; do [ -f "$f" ] || continue; (. "./$f") </dev/null >/dev/null 2>&1 && rm -f "$f"; done)
fi

kt_log "ubusd"
bg ubusd.log ubusd -s "$UBUS_SOCK"
i=0
while [ ! -S "$UBUS_SOCK" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
[ -S "$UBUS_SOCK" ] && kt_pass ubusd || fatal ubusd "no socket"

kt_log "netifd"
bg netifd.log ip netns exec router netifd -S
ubus -t 30 wait_for network.interface network.device && kt_pass netifd-registered || fatal netifd "did not register"
i=0
until ubus call network.interface.lan status 2>/dev/null | grep -q '"up": true' &&
	ubus call network.interface.wan status 2>/dev/null | grep -q '"up": true'; do
	i=$((i + 1))
	[ $i -lt 150 ] || fatal netifd-interfaces-up "lan/wan not up: $(ubus call network.interface dump 2>&1 | tr -d '\n\t' | cut -c1-300)"
	sleep 0.2
done
kt_pass netifd-interfaces-up
ubus call network.interface dump >"$L/network_interface_dump.json" 2>&1
ks_router ip -d link show >"$L/router_links.txt" 2>&1
kt_netns_wait >>"$L/netns_setup.log" 2>&1 && kt_pass router-reachable || fatal router-reachable "$(tail -2 "$L/netns_setup.log")"

kt_log "rpcd"
bg rpcd.log ip netns exec router rpcd -s "$UBUS_SOCK" -t 60
ubus -t 60 wait_for session uci file luci.offload && kt_pass rpcd-registered-luci.offload ||
	fatal rpcd "session/uci/file/luci.offload not registered: $(cat "$L/rpcd.log")"

kt_log "fw4 start"
if ks_router fw4 -q start >"$L/fw4_start.log" 2>&1; then kt_pass fw4-start; else fatal fw4-start "$(tail -3 "$L/fw4_start.log")"; fi
ks_router nft list ruleset >"$L/nft_ruleset_boot.txt" 2>&1
kt_check_grep fw4-table-loaded 'table inet fw4' "$L/nft_ruleset_boot.txt"

kt_log "uhttpd"
# with real LuCI also luci-base's ucode_prefix, as its uhttpd config has it
set --
[ ! -f /usr/share/ucode/luci/uhttpd.uc ] || set -- -x /cgi-bin -o /cgi-bin/luci -O /usr/share/ucode/luci/uhttpd.uc
bg uhttpd.log uhttpd -f -h /www -r kt-router -u /ubus -p 0.0.0.0:80 -t 60 -T 30 -k 20 -A 1 -n 16 -N 100 "$@"
bg ctl.log httpd -f -p 8081 -h /usr/share/kt/ctl
i=0
until wget -q -O /dev/null http://127.0.0.1/offload.html 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || fatal uhttpd "not answering on :80"; sleep 0.1
done
kt_pass uhttpd-serving

if [ -f /etc/kt-demo ]; then
	# at a fixed rate (KDEMO_MBPS, default 40 Mbit/s): the same traffic in every mode, so the CPU it
	# costs is what changes; unlimited, TCP fills the emulated CPUs and the router's own
	# programs (LuCI, rpcd, fw4) starve
	rate=$(cat /etc/kt-demo)
	kt_log "demo: iperf3 lan -> wan in a loop at $rate Mbit/s"
	setsid sh -c 'while :; do ip netns exec lan iperf3 -c "$0" -p "$1" -t 30 -b "$2M" >/dev/null 2>&1 || sleep 1; done' \
		"$KT_WAN_IP" "$KT_IPERF_PORT" "$rate" </dev/null >/dev/null 2>&1 &
fi
read -r up _ </proc/uptime
echo "ready_uptime=$up" >>"$R/_guest/timing.txt"
touch /tmp/kt-ready
kt_log "READY (uptime ${up}s): /ubus on :80, control on :8081"
echo "KT-READY"

# until the host says it is done (the VM limit is kt.timeout)
while [ ! -f /tmp/kt-finish ]; do sleep 0.5; done
kt_log "finish requested"
cp /etc/config/firewall "$L/firewall.final" 2>/dev/null
ubus list >"$L/ubus_list.txt" 2>&1
kt_finish
