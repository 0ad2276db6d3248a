#!/bin/sh
# The live multipathd client (libmpathcmd) against fake-multipathd.py, in
# a network namespace of its own (needs root: unshare -n).  Prints TAP.
# Usage: live.sh PATHWARDEN FIXTURE_DIR
set -eu
pw=$1; fx=$2
src=$(cd "$(dirname "$0")" && pwd)
if [ -z "${PW_IN_NETNS:-}" ]; then
	PW_IN_NETNS=1 exec unshare -n sh "$0" "$@"
fi
. "$src/../tap.sh"
tmp=$(mktemp -d); fake=
trap '[ -n "$fake" ] && kill $fake 2>/dev/null; rm -rf "$tmp"' EXIT
serve() {	# capture dir, [hang]
	if [ -n "$fake" ]; then
		kill "$fake" 2>/dev/null || :
		wait "$fake" 2>/dev/null || :
	fi
	rm -f "$1/.ready"
	python3 "$src/fake-multipathd.py" "$@" &
	fake=$!
	i=0; while [ ! -e "$1/.ready" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}
cp -r "$fx/misrouted/capture" "$tmp/cap"
serve "$tmp/cap"
"$pw" -c "$fx/misrouted/pathwarden.conf" --root "$fx/misrouted/root" \
	--replay "$fx/misrouted/replay" status > "$tmp/out" 2>&1 && rc=0 || rc=$?
is "live status through libmpathcmd: exit 0" "$rc" 0
check "live status: the map and its verdict" \
	grep -q 'mpatha .* verdict misrouted' "$tmp/out"
"$pw" -c "$fx/misrouted/pathwarden.conf" --root "$fx/misrouted/root" \
	--replay "$fx/misrouted/replay" doctor > "$tmp/out" 2>&1 || :
if grep -q '\[misrouted\]' "$tmp/out" && ! grep -q no-multipathd "$tmp/out"
then ok "live doctor reads show config"
else not_ok "live doctor reads show config"; fi
"$pw" -c "$fx/misrouted/pathwarden.conf" capture "$tmp/saved" \
	> "$tmp/out" 2>&1 || :
if cmp -s "$tmp/cap/maps.json" "$tmp/saved/maps.json" &&
   cmp -s "$tmp/cap/config.txt" "$tmp/saved/config.txt"
then ok "capture saves multipathd's answers as they came"
else not_ok "capture saves multipathd's answers as they came"; fi
if grep -q incomplete "$tmp/out" || [ -s "$tmp/saved/dmstatus/mpatha" ]
then ok "capture says it is incomplete without device-mapper"
else not_ok "capture says it is incomplete without device-mapper"; fi
# The daemon through the live client: it switches; without device-mapper
# here it cannot see the kernel's group, so it never calls that a revert.
rm -f "$tmp/cap/commands.log"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 19861)
ip link set lo up 2>/dev/null || :
sed -e "s#^metrics .*#metrics 127.0.0.1:$port#" -e "s#^records .*#records $tmp/rec.jsonl#" \
	"$fx/misrouted/pathwarden.conf" > "$tmp/c.conf"
echo "portal-check-ms 0" >> "$tmp/c.conf"
"$pw" -d -v -c "$tmp/c.conf" --root "$fx/misrouted/root" run --no-udev \
	--for 3 > "$tmp/log" 2>&1 && rc=0 || rc=$?
sent=$(grep -c 'switchgroup map mpatha group 2' "$tmp/cap/commands.log" || :)
is "live daemon: dm has no such map here, so multipathd's switchgroup, sent once, exit 0" "$rc $sent" "0 1"
check "live daemon: no false revert without the kernel's status" \
	not grep -q 'went back' "$tmp/log"

# A multipathd that accepts and never answers: bounded by the timeout.
serve "$tmp/cap" hang
start=$(date +%s%N)
"$pw" -c "$fx/misrouted/pathwarden.conf" --root "$fx/misrouted/root" \
	--no-rtpg status > "$tmp/out" 2>&1 && rc=0 || rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$rc" -eq 3 ] && [ "$ms" -lt 7000 ] && grep -q 'did not answer' "$tmp/out"
then ok "hung multipathd: status gives up in ${ms} ms (bound 5 s) with exit 3"
else not_ok "hung multipathd: status gives up in ${ms} ms (bound 5 s) with exit 3"; fi
tap_end
