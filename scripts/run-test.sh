#!/bin/sh
# Run one test program and record its result for scripts/test-summary.
# Usage: run-test.sh RESULTS_DIR NAME COMMAND [ARGS...]
# The program prints TAP ("ok N", "not ok N"); cmocka does with
# CMOCKA_MESSAGE_OUTPUT=TAP.  A program that dies or prints no test at all
# counts as one failure, so a crash cannot pass silently.
res=$1; name=$2; shift 2
mkdir -p "$res"
log="$res/$name.log"
CMOCKA_MESSAGE_OUTPUT=TAP "$@" > "$log" 2>&1
rc=$?
pass=$(grep -c '^ok ' "$log")
fail=$(grep -c '^not ok ' "$log")
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	fail=1
fi
if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ]; then
	fail=1
fi
echo "$pass $fail" > "$res/$name.res"
if [ "$fail" -ne 0 ]; then
	echo "FAIL $name ($pass passed, $fail failed, exit $rc); log: $log"
	grep -E '^not ok|^#' "$log" | head -40
else
	echo "ok   $name ($pass passed)"
fi
exit 0
