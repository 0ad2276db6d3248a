#!/bin/sh
# The test runner (scripts/run-test.sh) against made-up test outputs: a
# missing, short or overlong plan, a crash, a bare SKIP fail (a silent
# program and a bad exit count twice: no test and no plan, a bad exit
# and one result more than planned); a reasoned
# SKIP and a clean run pass.  A run with no result at all reports its
# log's last lines (a VM that died at boot says why only there), and so
# does one cut off half way.  Prints
# TAP.
set -eu
runner=$(dirname "$0")/../../scripts/run-test.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
# case NAME WANT_PASS WANT_FAIL EXIT TAP_TEXT: the runner's .res must say
# WANT_PASS WANT_FAIL for a program printing TAP_TEXT and exiting EXIT.
# run NAME EXIT TEXT: the runner over a program printing TEXT and exiting
# EXIT; the runner's own report on standard output.
run() {
	printf '%b' "$3" > "$tmp/$1.tap"
	sh "$runner" "$tmp" "$1" sh -c "cat '$tmp/$1.tap'; exit $2"
}
case_() {
	run "$1" "$4" "$5" > /dev/null
	n=$((n + 1))
	got=$(cat "$tmp/$1.res")
	if [ "$got" = "$2 $3" ]; then
		echo "ok $n - $1: $got"
	else
		echo "not ok $n - $1: got '$got', want '$2 $3'"
	fi
}
case_ clean 2 0 0 '1..2\nok 1 - a\nok 2 - b\n'
case_ failed 1 1 1 '1..2\nok 1 - a\nnot ok 2 - b\n'
case_ no-plan 2 1 0 'ok 1 - a\nok 2 - b\n'
case_ short 1 2 0 '1..3\nok 1 - a\n'
case_ overlong 2 1 0 '1..1\nok 1 - a\nok 2 - b\n'
case_ crashed 1 1 139 '1..2\nok 1 - a\n'
case_ silent 0 2 0 ''
case_ exit-only 2 2 3 '1..2\nok 1 - a\nok 2 - b\n'
case_ bare-skip 1 1 0 '1..2\nok 1 - a\nok 2 - b # SKIP\n'
case_ reasoned-skip 2 0 0 '1..2\nok 1 - a\nok 2 - b # SKIP no sg device on this host\n'
# report NAME EXIT TEXT WANT: the runner's own report for a program
# printing TEXT and exiting EXIT must contain WANT.
report() {
	out=$(run "$1" "$2" "$3")
	n=$((n + 1))
	case "$out" in
	*"$4"*) echo "ok $n - $1: the report shows '$4'" ;;
	*) echo "not ok $n - $1: no '$4' in the report:"
	   printf '%s\n' "$out" | sed 's/^/#   /' ;;
	esac
}
report died-at-boot 2 'lab: booting\nlab: error: the guest did not finish\nlab:   | Kernel panic - not syncing\n' \
	'#   | lab:   | Kernel panic - not syncing'
# a run cut off in the middle (the VM's limit, a killed program): its last
# lines, not only its diagnostics, say what it was doing
report cut-shows-last-lines 1 'ok 1 - a\n# benchmark: 1 repetition\n[1/4] switchover stock rep 1: stall -\n' \
	'#   | [1/4] switchover stock rep 1: stall -'
report failed-shows-diagnostics 1 '1..1\n# the map had 2 paths\nnot ok 1 - four paths\n' \
	'# the map had 2 paths'
echo "1..$n"
