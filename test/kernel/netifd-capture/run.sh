#!/bin/sh
# Kernel tier, netifd captures (make kernel-capture-netifd; not part of make test): for each
# /etc/config/network in /payload/cases/<case>/network, the real netifd (the platform tier's
# stage) brings up the router of a fresh lan — router — wan topology inside Debian's 6.1 kernel,
# and the real fw4 builds its flowtable from it. Captured per case into /results/<case>/:
#   network_interface_dump.json   ubus call network.interface dump
#   network_device_status.json    ubus call network.device status
#   sys_class_net_lower.txt       ls -l /sys/class/net/*/ | grep lower_/upper_ (per device)
#   sys_class_net_uevent.txt      DEVTYPE etc. the kernel reports for each device
#   ip_d_link.txt, bridge_vlan.txt, bridge_link.txt, ping.txt   the router's devices, reachability
#   fw4_reload_sw.txt, nft_flowtables_sw.txt, nft_flowtable_ft_sw.txt, nft_forward_sw.txt
#                                 after `fw4 reload` with flow_offloading=1 (software)
#   fw4_reload_hw.txt, nft_flowtables_hw.txt, nft_flowtable_ft_hw.txt, nft_forward_hw.txt,
#   nft_calls_hw.txt              the same with flow_offloading_hw=1; nft_calls_hw.txt is what a
#                                 logging wrapper around /usr/sbin/nft saw during that reload
#                                 (fw4's hardware probe `nft -c …`, its stderr and exit status)
#   firewall_defaults_{sw,hw}.txt uci show firewall.@defaults[0] at each reload
#   netifd.log, fw4_start.txt, topology.log
# The topology: lan0 (lan) — rlan (router), lan1 (lan) — rlan2 (router), wan0 (wan) — rwan
# (router); a case's optional topology.sh adjusts the end hosts (VLANs on their side).
. /usr/share/kt/netns.sh
. /usr/share/kt/check.sh
R=$KT_RESULTS
UBUS_SOCK=/var/run/ubus/ubus.sock
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mkdir -p /var/run/ubus /tmp/lock /tmp/state /tmp/log /var/run
uname -r >"$R/uname.txt"
uname -a >"$R/uname_a.txt"
nft --version >"$R/nft_version.txt" 2>&1
cp /etc/config/firewall "$R/firewall.base"

ubusd -s "$UBUS_SOCK" >"$R/ubusd.log" 2>&1 </dev/null &
i=0
while [ ! -S "$UBUS_SOCK" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
[ -S "$UBUS_SOCK" ] && kt_pass ubusd || { kt_fail ubusd "no socket"; kt_finish; exit 1; }

r() { ip netns exec router "$@"; }
NETIFD=

# the names of a network file's interfaces other than loopback
ifaces_of() { sed -n "s/^config interface '\([^']*\)'.*/\1/p" "$1" | grep -vx loopback; }

# all listed interfaces report "up": true (30 s at most); returns 1 when some are not
wait_up() {
	local i=0 n ok
	while [ $i -lt 150 ]; do
		ok=1
		for n in "$@"; do
			ubus call "network.interface.$n" status 2>/dev/null | grep -q '"up": true' || ok=0
		done
		[ $ok = 1 ] && return 0
		i=$((i + 1))
		sleep 0.2
	done
	return 1
}

stop_netifd() {
	[ -n "$NETIFD" ] || return 0
	kill "$NETIFD" 2>/dev/null
	i=0
	while kill -0 "$NETIFD" 2>/dev/null && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
	kill -9 "$NETIFD" 2>/dev/null
	i=0
	while ubus list network.interface >/dev/null 2>&1 && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
	NETIFD=
}

# install / remove a logging wrapper around /usr/sbin/nft (fw4 calls it by that path)
NFT_LOG=/tmp/kt-nft-calls.log
nft_wrap() {
	mv /usr/sbin/nft /usr/sbin/nft.real
	cat >/usr/sbin/nft <<'EOF'
#!/bin/sh
# capture wrapper (test/kernel/netifd-capture): logs each call, then runs the real nft
log=/tmp/kt-nft-calls.log
case " $* " in
*" -c "*)
	printf '=== nft' >>$log; for a in "$@"; do printf ' %s' "$a" >>$log; done; echo >>$log
	/usr/sbin/nft.real "$@" 2>/tmp/kt-nft-c.err
	rc=$?
	sed 's/^/stderr: /' /tmp/kt-nft-c.err >>$log
	echo "exit=$rc" >>$log
	cat /tmp/kt-nft-c.err >&2
	exit $rc
	;;
esac
printf '=== nft' >>$log; for a in "$@"; do printf ' %s' "$a" >>$log; done; echo >>$log
exec /usr/sbin/nft.real "$@"
EOF
	chmod 755 /usr/sbin/nft
	: >"$NFT_LOG"
}
nft_unwrap() { mv /usr/sbin/nft.real /usr/sbin/nft; }

capture_ft() { # SUFFIX
	r nft list flowtables >"$D/nft_flowtables_$1.txt" 2>&1
	r nft list flowtable inet fw4 ft >"$D/nft_flowtable_ft_$1.txt" 2>&1
	r nft list chain inet fw4 forward >"$D/nft_forward_$1.txt" 2>&1
	uci show firewall.@defaults[0] >"$D/firewall_defaults_$1.txt" 2>&1
}

for dir in /payload/cases/*/; do
	c=$(basename "$dir")
	D=$R/$c
	mkdir -p "$D"
	kt_log "case $c"
	stop_netifd
	for ns in lan router wan; do ip netns del "$ns" 2>/dev/null; done
	rm -f /var/run/fw4.state /var/run/fw4.lock
	{
		KT_ROUTER_NETIFD=1 kt_netns_setup &&
			ip link add lan1 netns lan type veth peer name rlan2 netns router &&
			kt_in lan ip link set lan1 up &&
			{ [ ! -f "$dir/topology.sh" ] || . "$dir/topology.sh"; }
	} >"$D/topology.log" 2>&1 || { kt_fail "$c-topology" "$(tail -3 "$D/topology.log")"; continue; }

	cp "$dir/network" /etc/config/network
	cp "$R/firewall.base" /etc/config/firewall
	ip netns exec router netifd -S >"$D/netifd.log" 2>&1 </dev/null &
	NETIFD=$!
	ubus -t 30 wait_for network.interface network.device || { kt_fail "$c-netifd" "did not register"; continue; }
	# shellcheck disable=SC2046
	if wait_up $(ifaces_of "$dir/network"); then kt_pass "$c-interfaces-up"; else
		kt_fail "$c-interfaces-up" "not all of $(ifaces_of "$dir/network" | tr '\n' ' ')up (captured as they are)"
	fi
	sleep 1 # let netifd finish settling devices (bridge-vlan, vlan members)
	ubus call network.interface dump >"$D/network_interface_dump.json" 2>&1
	ubus call network.device status >"$D/network_device_status.json" 2>&1
	r sh -c 'for d in /sys/class/net/*/; do n=${d%/}; n=${n##*/}; l=$(ls -l "$d" | grep -E " (lower|upper)_"); [ -z "$l" ] || printf "%s:\n%s\n" "$n" "$l"; done' >"$D/sys_class_net_lower.txt" 2>&1
	r sh -c 'for d in /sys/class/net/*; do echo "== ${d##*/}"; cat "$d/uevent"; done' >"$D/sys_class_net_uevent.txt" 2>&1
	r ip -d link show >"$D/ip_d_link.txt" 2>&1
	r ip addr show >"$D/ip_addr.txt" 2>&1
	r bridge vlan show >"$D/bridge_vlan.txt" 2>&1
	r bridge link show >"$D/bridge_link.txt" 2>&1
	{
		kt_wait_ping lan "$KT_RLAN_IP" 30 && echo "lan -> $KT_RLAN_IP: reachable"
		kt_wait_ping wan "$KT_RWAN_IP" 30 && echo "wan -> $KT_RWAN_IP: reachable"
	} >"$D/ping.txt" 2>&1

	# fw4 as at boot (offloading off), then software, then hardware (falls back on veth)
	r fw4 start >"$D/fw4_start.txt" 2>&1
	echo "exit=$?" >>"$D/fw4_start.txt"
	uci set firewall.@defaults[0].flow_offloading=1 && uci commit firewall
	r fw4 reload >"$D/fw4_reload_sw.txt" 2>&1
	echo "exit=$?" >>"$D/fw4_reload_sw.txt"
	capture_ft sw
	uci set firewall.@defaults[0].flow_offloading_hw=1 && uci commit firewall
	nft_wrap
	r fw4 reload >"$D/fw4_reload_hw.txt" 2>&1
	echo "exit=$?" >>"$D/fw4_reload_hw.txt"
	nft_unwrap
	cp "$NFT_LOG" "$D/nft_calls_hw.txt"
	capture_ft hw
	if grep -q 'flowtable ft' "$D/nft_flowtable_ft_sw.txt"; then kt_pass "$c-flowtable-sw"; else kt_fail "$c-flowtable-sw" "no flowtable ft"; fi
	if grep -q 'flowtable ft' "$D/nft_flowtable_ft_hw.txt"; then kt_pass "$c-flowtable-hw"; else kt_fail "$c-flowtable-hw" "no flowtable ft"; fi
	stop_netifd
done
kt_finish
