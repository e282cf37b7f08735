# shellcheck shell=sh disable=SC3043 # busybox ash has `local`
# test/kernel/handler/lib/offload.sh — guest side (busybox ash), installed at
# /usr/share/kt/offload.sh by `make test-kernel` / `make bench-kernel` (mk/kernel.mk).
# Source it after netns.sh and check.sh.
#
# The guest then holds the real package layout: the built handler at
# /usr/libexec/rpcd/luci.offload, the simulator's uci and fw4 stand-ins as /sbin/uci and
# /sbin/fw4 (QuickJS scripts in /usr/share/offload-tools), /etc/config/{firewall,network}
# for the lan/router/wan topology of netns.sh. Everything the handler does runs inside the
# router namespace (`ip netns exec router`, which also remounts /sys for it), with REAL nft,
# the REAL conntrack table and the REAL kernel. OFFLOAD_ROOT stays unset.

KO_HANDLER=/usr/libexec/rpcd/luci.offload
# fw4.uc's warning when the kernel refuses a hardware flowtable (printed as "[!] ..." on stderr)
# shellcheck disable=SC2034 # used by the payloads
KO_FALLBACK='Hardware flow offloading unavailable, falling back to software offloading'
# an iperf3 flow from lan to wan, as the original direction of a conntrack line shows it
KO_IPERF_RE="src=$KT_LAN_IP dst=$KT_WAN_IP sport=[0-9]+ dport=$KT_IPERF_PORT "

# jx FILE EXPR — value of a JS expression over a JSON file (`j` is the document); see jx.js.
jx() { qjs /usr/share/kt/jx.js "$@"; }

# ko_call METHOD ARGS_JSON OUT — call a handler method the way rpcd does (exec the file, its
# #!/usr/bin/qjs line, arguments on stdin) inside the router namespace. stdout (the one JSON
# object) goes to OUT, stderr to OUT.stderr. Returns the handler's exit status.
ko_call() {
	printf '%s\n' "$2" | ip netns exec router "$KO_HANDLER" call "$1" >"$3" 2>"$3.stderr"
}

# ko_expect NAME FILE EXPR WANT — PASS when jx FILE EXPR prints exactly WANT.
ko_expect() {
	local got
	got=$(jx "$2" "$3" 2>&1)
	if [ "$got" = "$4" ]; then kt_pass "$1"; else kt_fail "$1" "$3 = '$got', want '$4' (${2##*/})"; fi
}

# ko_true NAME FILE EXPR — PASS when EXPR is truthy.
ko_true() {
	local got
	got=$(jx "$2" "!!($3)" 2>&1)
	if [ "$got" = true ]; then kt_pass "$1"; else kt_fail "$1" "not true: $3 (${2##*/}${got:+: $got})"; fi
}

# ko_ct OUT — the router's /proc/net/nf_conntrack, as it is now.
ko_ct() { kt_in router cat /proc/net/nf_conntrack >"$1"; }

# ko_count PATTERN FILE — grep -cE, 0 when nothing matches.
ko_count() { grep -cE -- "$1" "$2" 2>/dev/null || true; }

# ko_wait_offloaded TRIES — poll (0.2 s) until an iperf3 flow is [OFFLOAD] in the router's
# conntrack table. Returns 1 when none shows up.
ko_wait_offloaded() {
	local i=0
	while [ "$i" -lt "${1:-50}" ]; do
		kt_in router grep -qE "$KO_IPERF_RE.*\[OFFLOAD\]" /proc/net/nf_conntrack && return 0
		i=$((i + 1))
		sleep 0.2
	done
	return 1
}

# ko_setup — the router as fw4 would have it at boot: `fw4 start` (writes /var/run/fw4.state,
# which `fw4 reload` needs) with the config as shipped (no flow_offloading option: off).
ko_setup() {
	local f
	for f in "$KO_HANDLER" /sbin/uci /sbin/fw4 /usr/share/offload-tools/uci.js /usr/share/offload-tools/fw4.js \
		/etc/config/firewall /etc/config/network; do
		[ -e "$f" ] || { echo "ko: $f missing from the guest" >&2; return 1; }
	done
	mkdir -p /var/run
	kt_in router fw4 start
}

# ko_mode MODE OUT — `set` the offload mode; PASS/FAIL on the answer being a set result.
ko_mode() {
	ko_call set "{\"mode\":\"$1\"}" "$2"
	ko_true "set-$1" "$2" "j.requested === '$1' && !j.error && j.status.configured.mode === '$1'"
}
