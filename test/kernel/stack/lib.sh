# shellcheck shell=sh disable=SC3043
# test/kernel/stack/lib.sh — guest helpers of the real-stack payload, sourced by run.sh and by
# every control snippet (root/usr/share/kt/ctl/cgi-bin/ctl) after /usr/share/kt/netns.sh.
UBUS_SOCK=/var/run/ubus/ubus.sock
KS_LOG=/results/stack
# an iperf3 flow from lan to wan, as the original direction of a conntrack line shows it
KS_IPERF_RE="src=$KT_LAN_IP dst=$KT_WAN_IP sport=[0-9]+ dport=$KT_IPERF_PORT "

# ks_iperf_bg SECONDS NAME [iperf3 args] — an iperf3 client lan -> wan in the background;
# /tmp/iperf-NAME.json (-J) and /tmp/iperf-NAME.rc when it is done.
ks_iperf_bg() {
	local t=$1 n=$2
	shift 2
	rm -f "/tmp/iperf-$n.json" "/tmp/iperf-$n.rc"
	setsid sh -c 'ip netns exec lan iperf3 -c "$0" -p "$1" -t "$2" -J "$@" >"/tmp/iperf-$3.json" 2>&1; echo $? >"/tmp/iperf-$3.rc"' \
		"$KT_WAN_IP" "$KT_IPERF_PORT" "$t" "$n" "$@" </dev/null >/dev/null 2>&1 &
	echo $! >"/tmp/iperf-$n.pid"
}
# ks_iperf_stop NAME — end that client now (SIGINT to its process group; iperf3 closes cleanly)
ks_iperf_stop() {
	local p i=0
	p=$(cat "/tmp/iperf-$1.pid" 2>/dev/null) || return 0
	kill -INT -- "-$p" 2>/dev/null
	while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.2; done
	kill -KILL -- "-$p" 2>/dev/null
	return 0
}
# ks_iperf_wait NAME [TRIES] — wait for that client (0.2 s polls); prints its exit status.
ks_iperf_wait() {
	local i=0
	while [ ! -s "/tmp/iperf-$1.rc" ] && [ "$i" -lt "${2:-300}" ]; do i=$((i + 1)); sleep 0.2; done
	cat "/tmp/iperf-$1.rc" 2>/dev/null || echo timeout
}
# ks_ct — the router's raw /proc/net/nf_conntrack
ks_ct() { ip netns exec router cat /proc/net/nf_conntrack; }
# ks_router CMD... — CMD in the router namespace (as rpcd, fw4 and the handler run)
ks_router() { ip netns exec router "$@"; }
