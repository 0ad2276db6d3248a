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

# discover/login through a fake iscsiadm: one portal unreachable, one
# that never answers; both reported within the bound, the others go on.
src=$(cd "$(dirname "$0")" && pwd)
export PATHWARDEN_ISCSIADM="$src/fake-iscsiadm.sh" FAKE_ISCSI_DIR="$tmp/iscsi"
mkdir -p "$FAKE_ISCSI_DIR"
cp "$fx/good/pathwarden.conf" "$tmp/i.conf"
echo "iscsi-timeout 2" >> "$tmp/i.conf"
echo 192.168.152.98 > "$FAKE_ISCSI_DIR/hang"
echo 192.168.122.98 > "$FAKE_ISCSI_DIR/fail"
start=$(date +%s%N)
"$pw" -c "$tmp/i.conf" --root "$tmp/none" discover > "$tmp/out" 2>&1; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "discover: exit 1 when a portal failed" "[ $rc -eq 1 ]"
check "discover: hung portal reported within the 2 s bound (${ms} ms)" \
	"[ $ms -lt 3000 ] && grep -q '^hpms02 192.168.152.98:3260: no answer within 2 s' $tmp/out"
check "discover: unreachable portal reported with iscsiadm's reason" \
	"grep -q '^hpms02 192.168.122.98:3260: iscsiadm failed (exit 4): .*No route to host' $tmp/out"
check "discover: the other portals listed their target" \
	"[ \$(grep -c '^    iqn.2016-02.local.virtual:hpms01.vg1 ' $tmp/out) -eq 4 ]"
"$pw" -c "$tmp/i.conf" --root "$tmp/none" login --no-wait > "$tmp/out" 2>&1; rc=$?
check "login: reachable portals logged in" \
	"[ \$(grep -c 'hpms01.vg1: logged in' $tmp/out) -eq 2 ] && [ $rc -eq 1 ]"
check "login: session timeouts applied before login" \
	"grep -q -- '-p 192.168.122.99:3260 -o update -n node.session.timeo.replacement_timeout -v 5' $FAKE_ISCSI_DIR/calls && grep -q -- 'noop_out_interval -v 1' $FAKE_ISCSI_DIR/calls"
"$pw" -c "$tmp/i.conf" --root "$tmp/none" login --no-wait > "$tmp/out" 2>&1
check "login again: idempotent" \
	"[ \$(grep -c 'hpms01.vg1: already logged in' $tmp/out) -eq 2 ] && ! grep -q ': logged in' $tmp/out"
"$pw" -c "$tmp/i.conf" --root "$fx/good/root" login --no-wait > "$tmp/out" 2>&1
check "login with live sessions: no iscsiadm login at all" \
	"grep -q 'already logged in (session 1)' $tmp/out"
rm -f "$FAKE_ISCSI_DIR/hang" "$FAKE_ISCSI_DIR/fail"
"$pw" -c "$tmp/i.conf" --root "$tmp/none" discover > "$tmp/out" 2>&1; rc=$?
check "discover: all portals answer, exit 0" "[ $rc -eq 0 ]"
PATHWARDEN_ISCSIADM=/nonexistent/iscsiadm "$pw" -c "$tmp/i.conf" \
	--root "$tmp/none" discover > "$tmp/out" 2>&1; rc=$?
check "discover without iscsiadm: a message per portal, exit 1" \
	"[ $rc -eq 1 ] && [ \$(grep -c 'iscsiadm failed' $tmp/out) -eq 4 ]"
unset PATHWARDEN_ISCSIADM FAKE_ISCSI_DIR

# The 1024-path host: status must stay fast.
start=$(date +%s%N)
run big status --json > "$tmp/json"; rc=$?
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "# status --json over 1024 paths (RTPG replayed per path): ${ms} ms"
check "1024 paths: status exit 0 with 256 maps" \
	"[ $rc -eq 0 ] && python3 -c 'import json,sys; d=json.load(open(\"$tmp/json\")); sys.exit(len(d[\"maps\"])!=256 or sum(len(m[\"paths\"]) for m in d[\"maps\"])!=1024)'"
check "1024 paths: status under 5 s (regression guard; typical 0.4 s)" "[ $ms -lt 5000 ]"

echo "1..$n"
exit $failed
