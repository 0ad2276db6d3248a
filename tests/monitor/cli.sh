#!/bin/sh
# The pathwarden CLI end to end on generated fixture hosts; prints TAP.
# Usage: cli.sh PATHWARDEN FIXTURE_DIR
pw=$1; fx=$2
n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
run() {	# scenario, command...
	s=$1; shift
	"$pw" -c "$fx/$s/pathwarden.conf" --root "$fx/$s/root" \
		--capture "$fx/$s/capture" --replay "$fx/$s/replay" "$@"
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

run good status > "$tmp/out"; rc=$?
check "status exits 0" "[ $rc -eq 0 ]"
check "status: map verdict ok" "grep -q 'mpatha .* verdict ok' $tmp/out"
check "status: sda on hpms01 active" \
	"grep -Eq '^  sda +hpms01 +192.168.122.99:3260 +1 LOGGED_IN +2:0:0:0 +1 AO .* active$' $tmp/out"
check "status: sdd on hpms02 spare" \
	"grep -Eq '^  sdd +hpms02 .* 2 ANO .* 10 +2  spare$' $tmp/out"

run good status --json > "$tmp/json"; rc=$?
check "status --json exits 0" "[ $rc -eq 0 ]"
check "status --json is JSON with 4 paths" \
	"python3 -c 'import json,sys; d=json.load(open(\"$tmp/json\")); sys.exit(len(d[\"maps\"][0][\"paths\"])!=4)'"
check "CHAP attributes never printed" "! grep -qi secret $tmp/out $tmp/json"

run misrouted status > "$tmp/out"
check "misrouted: map verdict" "grep -q 'verdict misrouted' $tmp/out"
check "misrouted: old group paths misrouted" \
	"[ \$(grep -c '^  sd.* misrouted\$' $tmp/out) -eq 2 ]"
check "misrouted: new AO paths stale" "[ \$(grep -c ' stale\$' $tmp/out) -eq 2 ]"

run good doctor > "$tmp/out"; rc=$?
check "doctor on a good host: exit 0" "[ $rc -eq 0 ]"
check "doctor on a good host: no findings" "grep -qx 'no findings' $tmp/out"

# scenario finding-id
while read -r s id; do
	run "$s" doctor > "$tmp/out"; rc=$?
	check "doctor $s: exit 1" "[ $rc -eq 1 ]"
	check "doctor $s: finds [$id]" "grep -q '\\[$id\\]' $tmp/out"
done <<LIST
stock detect-prio
stock detect-checker
multibus spread
multibus grouping
bothao both-optimized
fbmanual failback
missing missing-paths
missing no-session
sessfail session-down
nomaps no-map
disagree group-disagrees
slow slow-timeout
noplugins plugin-missing
wrongchk plugin-not-loaded
misrouted misrouted
LIST

run multibus status > "$tmp/out"
check "multibus: map verdict spread" "grep -q 'verdict spread' $tmp/out"
run sessfail status > "$tmp/out"
check "failed session: path down, map degraded" \
	"grep -Eq '^  sda .* down$' $tmp/out && grep -q 'verdict degraded' $tmp/out"

run good doctor --json > "$tmp/json"
check "doctor --json on a good host is []" \
	"python3 -c 'import json,sys; sys.exit(json.load(open(\"$tmp/json\"))!=[])'"

# Faults: no multipathd answers, no sysfs at all.
"$pw" -c "$fx/good/pathwarden.conf" --root "$tmp/none" \
	--capture "$tmp/none" status > "$tmp/out" 2>&1; rc=$?
check "no multipathd: status exits 3 with a message" \
	"[ $rc -eq 3 ] && grep -q 'multipathd did not answer' $tmp/out"
"$pw" -c "$fx/good/pathwarden.conf" --root "$tmp/none" \
	--capture "$tmp/none" doctor > "$tmp/out" 2>&1; rc=$?
check "no multipathd: doctor reports it" \
	"[ $rc -eq 1 ] && grep -q 'no-multipathd' $tmp/out"
echo '{"maps": [ {"name": 1' > "$tmp/maps.json"
"$pw" -c "$fx/good/pathwarden.conf" --root "$fx/good/root" \
	--capture "$tmp" status > "$tmp/out" 2>&1; rc=$?
check "truncated multipathd JSON: clear message" \
	"[ $rc -eq 3 ] && grep -q 'cannot parse' $tmp/out"
"$pw" -n -c /nonexistent.conf > "$tmp/out" 2>&1; rc=$?
check "-n on a missing config: exit 1, names the file" \
	"[ $rc -eq 1 ] && grep -q '^/nonexistent.conf: cannot open' $tmp/out"
printf 'node a 1.2.3.4\nbogus\n' > "$tmp/bad.conf"
"$pw" -n -c "$tmp/bad.conf" > "$tmp/out" 2>&1; rc=$?
check "-n on a bad config: file:line" \
	"[ $rc -eq 1 ] && grep -q '^$tmp/bad.conf:2: unknown directive' $tmp/out"
"$pw" -n -c "$fx/good/pathwarden.conf"; rc=$?
check "-n on a good config: exit 0" "[ $rc -eq 0 ]"

# The 1024-path host: status must stay fast.
start=$(date +%s%N)
run big status --json > "$tmp/json"; rc=$?
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "# status --json over 1024 paths (RTPG replayed per path): ${ms} ms"
check "1024 paths: status exit 0 with 256 maps" \
	"[ $rc -eq 0 ] && python3 -c 'import json,sys; d=json.load(open(\"$tmp/json\")); sys.exit(len(d[\"maps\"])!=256 or sum(len(m[\"paths\"]) for m in d[\"maps\"])!=1024)'"
check "1024 paths: status under 2 s" "[ $ms -lt 2000 ]"

echo "1..$n"
exit $failed
