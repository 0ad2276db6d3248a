#!/bin/sh
# Footprint of pathwarden: idle CPU and RSS of the daemon over a while on
# a fixture host (prober running at its default 40 reads/s), and the time
# of 'status' over 1024 paths.  Prints the figures; fails only if the
# daemon does not run.
# Usage: bench.sh PATHWARDEN FIXTURE_DIR [SECONDS]
set -eu
pw=$1; fx=$2; secs=${3:-10}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$fx/good/capture" "$tmp/cap"
dd if=/dev/zero of="$tmp/mpatha" bs=1M count=4 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e "s#^metrics .*#metrics 127.0.0.1:$port#" \
    -e "s#^records .*#records $tmp/rec.jsonl#" \
    "$fx/good/pathwarden.conf" > "$tmp/c.conf"
echo "portal-check-ms 0" >> "$tmp/c.conf"
"$pw" -d -c "$tmp/c.conf" --root "$fx/good/root" --capture "$tmp/cap" \
	run --no-udev --probe-dir "$tmp" &
pid=$!
sleep 1
tck=$(getconf CLK_TCK)
t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
sleep "$secs"
t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
threads=$(awk '/^Threads/ {print $2}' /proc/$pid/status)
kill -TERM $pid
wait $pid
echo "daemon (1 map probed every 25 ms, metrics on, no udev): " \
     "CPU $(echo "$t0 $t1 $tck $secs" | awk '{printf "%.2f%%", ($2-$1)/$3/$4*100}')" \
     "over ${secs} s, RSS ${rss} KiB, ${threads} threads"
best=999999
for i in 1 2 3 4 5; do
	s=$(date +%s%N)
	"$pw" -c "$fx/big/pathwarden.conf" --root "$fx/big/root" \
		--capture "$fx/big/capture" --replay "$fx/big/replay" \
		status --json > /dev/null || exit 1
	ms=$(( ($(date +%s%N) - s) / 1000000 ))
	if [ $ms -lt $best ]; then best=$ms; fi
done
echo "status --json, 256 maps x 4 paths (RTPG replayed per path): best of 5 ${best} ms"
