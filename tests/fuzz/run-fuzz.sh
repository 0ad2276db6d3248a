#!/bin/sh
# Run libFuzzer and report the outcome as one TAP line.
# Usage: run-fuzz.sh BINARY WORKDIR [libFuzzer args and corpus dirs...]
set -eu
bin=$1; work=$2; shift 2
name=${bin##*/}
echo "1..1"
if "$bin" -artifact_prefix="$work/" -print_final_stats=1 "$@" \
		> "$work/fuzz.log" 2>&1; then
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
	echo "ok 1 - $name: $execs executions, no crash"
else
	echo "not ok 1 - $name crashed; see $work/fuzz.log"
	tail -30 "$work/fuzz.log" | sed 's/^/# /'
fi
