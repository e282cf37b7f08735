# shellcheck shell=sh
# test/kernel/lib/check.sh — guest side (busybox ash), installed at /usr/share/kt/check.sh.
# Tiny assertion helpers for payloads. Every result is one line in /results/checks.txt
# ("PASS name" / "FAIL name: detail"); kt_finish writes /results/exit-code (0 = all
# passed) and returns it, so a payload ends with:  kt_finish; exit $?

KT_CHECKS=${KT_RESULTS:-/results}/checks.txt
KT_FAILED=0

kt_pass() {
	echo "PASS $1" >>"$KT_CHECKS"
	echo "kt: PASS $1"
}

kt_fail() {
	local name="$1"
	shift
	echo "FAIL $name: $*" >>"$KT_CHECKS"
	echo "kt: FAIL $name: $*"
	KT_FAILED=$((KT_FAILED + 1))
}

# kt_check NAME CMD... — PASS when CMD exits 0 (its output is discarded).
kt_check() {
	local name="$1"
	shift
	if "$@" >/dev/null 2>&1; then kt_pass "$name"; else kt_fail "$name" "command failed: $*"; fi
}

# kt_check_not NAME CMD... — PASS when CMD exits non-zero.
kt_check_not() {
	local name="$1"
	shift
	if "$@" >/dev/null 2>&1; then kt_fail "$name" "command unexpectedly succeeded: $*"; else kt_pass "$name"; fi
}

# kt_check_grep NAME PATTERN FILE — PASS when FILE has a line matching PATTERN (grep -E).
kt_check_grep() {
	if grep -Eq -- "$2" "$3" 2>/dev/null; then kt_pass "$1"; else kt_fail "$1" "no line matching '$2' in $3"; fi
}

# kt_finish — write /results/exit-code and return it.
kt_finish() {
	local rc=0
	[ "$KT_FAILED" -eq 0 ] || rc=1
	echo "$rc" >"${KT_RESULTS:-/results}/exit-code"
	echo "kt: $(grep -c '^PASS' "$KT_CHECKS" 2>/dev/null || echo 0) passed, $KT_FAILED failed"
	return $rc
}
