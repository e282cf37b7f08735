# shellcheck shell=sh
# test/kernel/lib/netns.sh — guest side (busybox ash), installed at /usr/share/kt/netns.sh.
# Source it from a payload: . /usr/share/kt/netns.sh
#
# Topology (three network namespaces joined by veth pairs):
#
#   lan  [lan0 192.168.1.2/24] ==== [rlan 192.168.1.1/24]  router  [rwan 10.0.2.1/24] ==== [wan0 10.0.2.2/24]  wan
#
# The router forwards (ip_forward=1) and has conntrack accounting on; lan's default route
# is 192.168.1.1, wan's is 10.0.2.1 (the router masquerades towards wan when its
# ruleset says so). The router's WAN device is "rwan", its LAN device "rlan" — the
# names a fw4-shaped ruleset refers to.
#
# iproute2's ip is /sbin/ip; the guest's busybox is Debian's dynamic build, which does
# not shadow real tools with its applets, so plain `ip` is iproute2.

KT_LAN_IP=192.168.1.2
KT_RLAN_IP=192.168.1.1
KT_RWAN_IP=10.0.2.1
KT_WAN_IP=10.0.2.2
KT_IPERF_PORT=5201

# kt_in NS CMD... — run CMD inside namespace NS.
kt_in() {
	local ns="$1"
	shift
	ip netns exec "$ns" "$@"
}

# kt_log MSG — progress line on the console (the host keeps the console log).
kt_log() { echo "kt[$(cut -d' ' -f1 /proc/uptime)]: $*"; }

# kt_netns_setup — build the lan/router/wan topology. Idempotent only on a fresh guest.
# With KT_ROUTER_NETIFD=1 the router's side (rlan/rwan addresses, links up) is left to the
# real netifd (the real-stack payload); then call kt_netns_wait once netifd is up.
kt_netns_setup() {
	local ns
	for ns in lan router wan; do
		ip netns add "$ns" || return 1
		kt_in "$ns" ip link set lo up || return 1
	done
	ip link add lan0 netns lan type veth peer name rlan netns router || return 1
	ip link add wan0 netns wan type veth peer name rwan netns router || return 1

	kt_in lan ip addr add "$KT_LAN_IP/24" dev lan0
	kt_in lan ip link set lan0 up
	if [ "${KT_ROUTER_NETIFD:-0}" != 1 ]; then
		kt_in router ip addr add "$KT_RLAN_IP/24" dev rlan
		kt_in router ip addr add "$KT_RWAN_IP/24" dev rwan
		kt_in router ip link set rlan up
		kt_in router ip link set rwan up
	fi
	kt_in wan ip addr add "$KT_WAN_IP/24" dev wan0
	kt_in wan ip link set wan0 up
	kt_in lan ip route add default via "$KT_RLAN_IP" || return 1
	kt_in wan ip route add default via "$KT_RWAN_IP" || return 1

	kt_in router sysctl -qw net.ipv4.ip_forward=1 || return 1
	kt_in router sysctl -qw net.ipv6.conf.all.forwarding=1 || return 1
	# per-namespace conntrack accounting (byte/packet counts in /proc/net/nf_conntrack)
	for ns in router lan wan; do
		kt_in "$ns" sysctl -qw net.netfilter.nf_conntrack_acct=1 || return 1
	done
	sysctl -qw net.netfilter.nf_conntrack_acct=1

	# End hosts send MTU-sized packets: the router then forwards 1500-byte packets, like a
	# real router, instead of 64 KiB GSO super-packets.
	kt_in lan ethtool -K lan0 gso off tso off >/dev/null 2>&1 || return 1
	kt_in wan ethtool -K wan0 gso off tso off >/dev/null 2>&1 || return 1

	[ "${KT_ROUTER_NETIFD:-0}" = 1 ] || kt_netns_wait
}

# kt_netns_wait — both end hosts reach the router.
kt_netns_wait() {
	kt_wait_ping lan "$KT_RLAN_IP" || return 1
	kt_wait_ping wan "$KT_RWAN_IP" || return 1
}

# kt_wait_ping NS ADDR [TRIES] — wait until ADDR answers ping from NS.
kt_wait_ping() {
	local i=0
	while [ "$i" -lt "${3:-50}" ]; do
		kt_in "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 && return 0
		i=$((i + 1))
		sleep 0.1
	done
	echo "kt: $2 unreachable from $1" >&2
	return 1
}

# kt_router_nft FILE — load a ruleset file into the router namespace (nft -f).
kt_router_nft() { kt_in router nft -f "$1"; }

# kt_iperf_server [PORT] — start an iperf3 server in wan (background, one per port);
# waits until it listens. Its log goes to /tmp/iperf3-server-PORT.log.
kt_iperf_server() {
	local port="${1:-$KT_IPERF_PORT}" i=0
	kt_in wan iperf3 -s -p "$port" >"/tmp/iperf3-server-$port.log" 2>&1 &
	while [ "$i" -lt 100 ]; do
		kt_in wan ss -Hltn "sport = :$port" 2>/dev/null | grep -q LISTEN && return 0
		i=$((i + 1))
		sleep 0.1
	done
	echo "kt: iperf3 server on port $port did not start" >&2
	cat "/tmp/iperf3-server-$port.log" >&2
	return 1
}

# kt_iperf_client SECONDS OUTFILE [iperf3 args...] — run an iperf3 client in lan towards
# the wan server (TCP unless -u is given), JSON output (-J) into OUTFILE.
kt_iperf_client() {
	local t="$1" out="$2"
	shift 2
	kt_in lan iperf3 -c "$KT_WAN_IP" -p "$KT_IPERF_PORT" -t "$t" -J "$@" >"$out" 2>&1
}

# kt_iperf_mbps JSONFILE — received Mbit/s of a finished iperf3 -J run (integer).
kt_iperf_mbps() {
	# "sum_received": { ... "bits_per_second": N ... } — busybox awk, no JSON parser.
	awk '/"sum_received"/ { r=1 } r && /"bits_per_second"/ { gsub(/[^0-9.]/, "", $2); printf "%d\n", $2/1e6; exit }' "$1"
}
