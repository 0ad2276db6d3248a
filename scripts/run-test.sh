#!/bin/sh
# Run one test program and record its result for scripts/test-summary.
# Usage: run-test.sh RESULTS_DIR NAME COMMAND [ARGS...]
# The program prints TAP ("ok N", "not ok N") with its plan ("1..N"; one per
# group, cmocka prints them with CMOCKA_MESSAGE_OUTPUT=TAP).  A program that
# dies or prints no test at all counts as one failure, so a crash cannot
# pass silently; a missing plan is one failure, and a short run (fewer
# results than planned: a test that stopped half way) fails the rest.
# A skipped test ("ok N # SKIP") passes only when it says why after SKIP;
# a bare SKIP is a failure: nothing may go green by not running.
# A run of a whole tier (check-sanitize, valgrind) is called with --tier:
# it prints no plan of its own but must end with the tier's "N passed,
# N failed" line; each of its tests had its plan checked by this script.
set -eu
tier=0
if [ "${1:-}" = --tier ]; then
	tier=1
	shift
fi
res=$1; name=$2; shift 2
mkdir -p "$res"
log="$res/$name.log"
rc=0
CMOCKA_MESSAGE_OUTPUT=TAP "$@" > "$log" 2>&1 || rc=$?
# grep -c prints 0 and exits 1 when nothing matches
pass=$(grep -c '^ok ' "$log" || true)
fail=$(grep -c '^not ok ' "$log" || true)
results=$((pass + fail))	# as printed, before the rules below
bare=$(grep -ciE '^ok .*# *SKIP[[:space:]]*$' "$log" || true)
if [ "$bare" -gt 0 ]; then
	echo "# $bare skipped without a reason" >> "$log"
	pass=$((pass - bare))
	fail=$((fail + bare))
fi
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	fail=1
fi
if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ]; then
	fail=1
fi
cut=0	# the program stopped before its plan was through
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" |
	awk '{ n += $1 } END { print n + 0 }')
if [ "$tier" = 1 ]; then
	if ! tail -n 3 "$log" | grep -qE '^[0-9]+ passed, [0-9]+ failed$'; then
		echo "# the tier printed no summary line" >> "$log"
		fail=$((fail + 1))
	fi
elif grep -q '^1\.\.[0-9]' "$log"; then
	if [ $((pass + fail)) -lt "$plan" ]; then
		echo "# short run: $((pass + fail)) results, $plan planned" >> "$log"
		cut=1
		fail=$((fail + plan - pass - fail))
	elif [ $((pass + fail)) -gt "$plan" ]; then
		echo "# $((pass + fail)) results, only $plan planned" >> "$log"
		fail=$((fail + 1))
	fi
else
	echo "# no TAP plan (1..N)" >> "$log"
	fail=$((fail + 1))
	cut=1
fi
echo "$pass $fail" > "$res/$name.res"
if [ "$fail" -ne 0 ]; then
	echo "FAIL $name ($pass passed, $fail failed, exit $rc); log: $log"
	# the failed checks first (a long log's diagnostics must not push
	# them out of a CI report), then the log's last diagnostics
	grep -E '^not ok' "$log" | head -20 || true
	if [ "$results" -eq 0 ] || [ "$cut" = 1 ]; then
		# Not one result, or the run stopped half way: the program
		# (or the VM it boots) died or was killed in the middle of
		# something; its own last words, diagnostics or not, say what,
		# and a CI report has nothing else to show.
		[ "$results" -eq 0 ] && echo "# no result at all; the log's last lines:" ||
			echo "# stopped after $results results; the log's last lines:"
		tail -n 40 "$log" | sed 's/^/#   | /'
	else
		grep -E '^#' "$log" | tail -n 30 || true
	fi
else
	echo "ok   $name ($pass passed)"
fi
exit 0
