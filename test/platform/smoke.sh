#!/usr/bin/env bash
# test/platform/smoke.sh [DIR] — the platform tier itself works: starts a router
# (with the package when its handler is built), checks the real daemons, stops it.
# Prints one PASS/FAIL line per check on stdout; exits 1 when any check failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)
R="$HERE/router.sh"
DIR=${1:-$ROOT/build/platform/smoke}
PKG="$ROOT/luci-app-offload"
HANDLER="$PKG/root/usr/libexec/rpcd/luci.offload"
FAILS=0
PASSES=0

pass() { printf 'PASS %s\n' "$*"; PASSES=$((PASSES + 1)); }
fail() { printf 'FAIL %s\n' "$*"; FAILS=$((FAILS + 1)); }
rx() { "$R" exec "$DIR" "$@"; }

pkg_args=()
if [ -x "$HANDLER" ]; then pkg_args=(--pkg "$PKG"); fi

t0=$(date +%s%N)
info=$("$R" start "$DIR" "${pkg_args[@]}") || { echo "FAIL router.sh start"; exit 1; }
trap '"$R" stop "$DIR" >/dev/null 2>&1' EXIT
printf 'router up in %d ms: %s\n' $((($(date +%s%N) - t0) / 1000000)) "$(printf '%s' "$info" | tr '\n' ' ')"
url=$(printf '%s\n' "$info" | sed -n 's/^url=//p')

# 1. ubus objects
objs=$(rx ubus list)
want="session uci file network.interface"
[ "${#pkg_args[@]}" -eq 0 ] || want="$want luci.offload"
missing=
for o in $want; do grep -qx "$o" <<<"$objs" || missing="$missing $o"; done
[ -z "$missing" ] && pass "ubus list has: $want" || fail "ubus list lacks:$missing"

# 2. login over HTTP to /ubus (from the host)
login() {
    curl -s --max-time 5 "$url" -H 'Content-Type: application/json' -d \
        '{"jsonrpc":"2.0","id":1,"method":"call","params":["00000000000000000000000000000000","session","login",{"username":"'"$1"'","password":"'"$2"'"}]}'
}
sid=$(login root root | sed -n 's/.*"ubus_rpc_session":"\([0-9a-f]\{32\}\)".*/\1/p')
[ -n "$sid" ] && pass "HTTP login root -> session $sid" || fail "HTTP login as root/root gave no session"
r=$(login reader reader)
grep -q '"access-group":{"luci-app-offload":\["read"\]}' <<<"$r" &&
    pass "HTTP login reader -> read-only luci-app-offload session" || fail "reader login: $r"
r=$(login root wrong)
grep -q '"result":\[6\]' <<<"$r" && pass "wrong password -> [6]" || fail "wrong password gave: $r"
if [ "${#pkg_args[@]}" -gt 0 ] && [ -n "$sid" ]; then
    r=$(curl -s --max-time 35 "$url" -d '{"jsonrpc":"2.0","id":2,"method":"call","params":["'"$sid"'","luci.offload","status",{}]}')
    grep -q '"result":\[0,{"configured"' <<<"$r" && pass "HTTP luci.offload status answers" ||
        fail "luci.offload status: ${r:0:300}"
fi

# 3. uci
rx uci show firewall | grep -q '^firewall\.@defaults\[0\]=defaults' && pass "uci show firewall" ||
    fail "uci show firewall"

# 4. netifd
dump=$(rx ubus call network.interface dump)
n=$(grep -c '"l3_device"' <<<"$dump")
[ "$n" -ge 2 ] && pass "network.interface dump: $n interfaces with l3_device" ||
    fail "network.interface dump: $n interfaces with l3_device"

# 5. fw4 with flow offloading off loads table inet fw4
rx sh -c "uci -q delete firewall.@defaults[0].flow_offloading; uci commit firewall"
out=$(rx fw4 reload 2>&1); rc=$?
[ "$rc" = 0 ] && rx nft list table inet fw4 >/dev/null 2>&1 && pass "fw4 reload (offload off) exit 0, table inet fw4 loaded" ||
    fail "fw4 reload (offload off): exit $rc: $out"
before=$(rx nft -s list ruleset)  # -s: without counters (IPv6 chatter on the veths counts)

# 6. with flow_offloading '1' the kernel (no CONFIG_NF_FLOW_TABLE) rejects the flowtable:
#    fw4 still exits 0 and the previous ruleset stays (real-programs.md §3)
rx sh -c "uci set firewall.@defaults[0].flow_offloading=1; uci commit firewall"
grep -q "option flow_offloading '1'" "$DIR/etc/config/firewall" && pass "config has option flow_offloading '1'" ||
    fail "config lacks option flow_offloading '1'"
out=$(rx fw4 reload 2>&1); rc=$?
after=$(rx nft -s list ruleset)
[ "$rc" = 0 ] && pass "fw4 reload (flow_offloading 1) exit 0" || fail "fw4 reload (flow_offloading 1) exit $rc"
grep -q 'Error:' <<<"$out" && pass "nft rejected the flowtable ($(grep -m1 'Error:' <<<"$out" | sed 's/^.*Error: //'))" ||
    fail "no nft Error: from fw4 reload: $out"
[ "$before" = "$after" ] && ! grep -q flowtable <<<"$after" && pass "previous ruleset still loaded, no flowtable" ||
    { fail "ruleset changed after the rejected reload:"; diff <(printf "%s\n" "$before") <(printf "%s\n" "$after") | head -20; }
rx sh -c "uci -q delete firewall.@defaults[0].flow_offloading; uci commit firewall"

# 7. the host is untouched and stop leaves nothing behind
pid=$(printf '%s\n' "$info" | sed -n 's/^pid=//p')
"$R" stop "$DIR" >/dev/null 2>&1
trap - EXIT
sleep 0.1
left=$(ps -eo pid=,args= | grep -F "$DIR" | grep -v grep || true)
[ -z "$left" ] && ! [ -d "/proc/$pid" ] && pass "stop: nothing left running" || fail "stop left: $left"
grep -qF " $DIR/" /proc/self/mountinfo && fail "stop: mounts left under $DIR" || pass "stop: nothing mounted"

printf 'platform smoke: %d passed, %d failed\n' "$PASSES" "$FAILS"
[ "$FAILS" = 0 ]
