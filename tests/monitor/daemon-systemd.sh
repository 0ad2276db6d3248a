#!/bin/sh
# pathwarden run as systemd runs a Type=notify service, on a fixture host
# (as daemon.sh), with fake-systemd.py standing in for systemd's notify
# socket and for journald's socket: the latter in a mount namespace of
# the test's own, on a tmpfs over /run, so the host's journal (if any)
# sees nothing.  Checks READY=1 and the health line in STATUS=, the
# watchdog's pings, STOPPING=1, and the structured journal entries of a
# failover and a path failure.  Prints TAP.
# Usage: daemon-systemd.sh PATHWARDEN-DM FIXTURE_DIR
set -eu
if [ -z "${PW_SYSTEMD_NS:-}" ]; then
	PW_SYSTEMD_NS=1 exec unshare --mount --propagation private sh "$0" "$@"
fi
pw=$1; fx=$2
src=$(cd "$(dirname "$0")" && pwd)
. "$src/../tap.sh"
tmp=$(mktemp -d); pid=; spid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$spid" ] && kill $spid 2>/dev/null; rm -rf "$tmp"' EXIT
mount -t tmpfs tmpfs /run
mkdir -p /run/systemd/journal
DL=30
FAILOVER_ID=e680eb1a4a664132ada011a1dabae37a
PATH_ID=a78de77701444936bf2fd3db9736efeb
. "$src/wait-for.sh"
# entries of the notify or journal log whose fields match: FILE, K=V...
entries() {
	python3 - "$@" <<'PY'
import json, sys
f, want = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
n = 0
for line in open(f):
    e = json.loads(line)["fields"]
    n += all(e.get(k) == v for k, v in want.items())
print(n)
PY
}
has() {	# n-at-least FILE K=V...
	n=$1; shift
	[ -f "$1" ] && [ "$(entries "$@")" -ge "$n" ]
}
field() {	# FILE FIELD K=V...: FIELD of the last entry that matches
	python3 - "$@" <<'PY'
import json, sys
f, name, want = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
v = ""
for line in open(f):
    e = json.loads(line)["fields"]
    if all(e.get(k) == x for k, x in want.items()):
        v = e.get(name, "")
print(v)
PY
}

python3 "$src/fake-systemd.py" "$tmp/notify.sock" "$tmp/notify.log" \
	/run/systemd/journal/socket "$tmp/journal.log" &
spid=$!
check "fake systemd listening" wait_for $DL test -e "$tmp/notify.log.ready"

# The "good" fixture host (both nodes, hpms01 optimized), its states
# flipped after the start and announced by the SCSI uevent: the daemon
# switches to hpms02's group, a failover with its latency.
rm -rf "$tmp/root" "$tmp/cap"
cp -a "$fx/good/root" "$tmp/root"
cp -r "$fx/good/capture" "$tmp/cap"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e "s#^metrics .*#metrics 127.0.0.1:$port#" \
    -e "s#^records .*#records $tmp/rec.jsonl#" \
    "$fx/good/pathwarden.conf" > "$tmp/c.conf"
echo "portal-check-ms 0" >> "$tmp/c.conf"
mkfifo "$tmp/ev"
: > "$tmp/log"
# stderr is the journal's stream, as under systemd
js=$(stat -c '%d:%i' "$tmp/log")
NOTIFY_SOCKET=$tmp/notify.sock WATCHDOG_USEC=400000 JOURNAL_STREAM=$js \
	"$pw" -d -v -c "$tmp/c.conf" --root "$tmp/root" --capture "$tmp/cap" \
	run --no-udev --uevents "$tmp/ev" --probe-dir "$tmp" 2>> "$tmp/log" &
pid=$!
check "READY=1 once the first view is built" \
	wait_for $DL has 1 "$tmp/notify.log" READY=1
status=$(field "$tmp/notify.log" STATUS READY=1)
is "the first STATUS= is the health line" "$status" \
	"4/4 paths up, hpms01 optimized"
check "READY=1 said once" [ "$(entries "$tmp/notify.log" READY=1)" -eq 1 ]
# WatchdogSec=0.4 s: a ping every 0.2 s from the loop
check "watchdog pinged from the loop (5 pings)" \
	wait_for $DL has 5 "$tmp/notify.log" WATCHDOG=1
for f in $(find "$tmp/root/sys/devices" -name access_state); do
	case $f in
	*/host[23]/*) echo active/non-optimized > "$f" ;;
	*) echo active/optimized > "$f" ;;
	esac
done
echo "scsi change 2:0:0:0 SDEV_UA=ASYMMETRIC_ACCESS_STATE_CHANGED" > "$tmp/ev"
check "failover: a journal entry with the failover MESSAGE_ID" \
	wait_for $DL has 1 "$tmp/journal.log" MESSAGE_ID=$FAILOVER_ID \
	PATHWARDEN_MAP=mpatha PATHWARDEN_GROUP=2 PATHWARDEN_EVENT=failover
lat=$(field "$tmp/journal.log" PATHWARDEN_LATENCY_MS MESSAGE_ID=$FAILOVER_ID)
check "failover: its latency in ms from the ALUA event ($lat)" \
	sh -c "echo '$lat' | grep -Eqx '[0-9]+' && [ '$lat' -lt 30000 ]"
node=$(field "$tmp/journal.log" PATHWARDEN_NODE MESSAGE_ID=$FAILOVER_ID)
st=$(field "$tmp/journal.log" PATHWARDEN_ALUA_STATE MESSAGE_ID=$FAILOVER_ID)
is "failover: the new group's node and ALUA state" "$node $st" \
	"hpms02 active/optimized"
check "the ALUA event itself is an entry" \
	has 1 "$tmp/journal.log" PATHWARDEN_EVENT=alua_change PATHWARDEN_PATH=2:0:0:0
check "STATUS= follows the health line" \
	wait_for $DL has 1 "$tmp/notify.log" "STATUS=4/4 paths up, hpms02 optimized"
echo "block change dm-0 DM_ACTION=PATH_FAILED DM_NAME=mpatha DM_PATH=8:16" > "$tmp/ev"
check "path failure: a journal entry, priority warning" \
	wait_for $DL has 1 "$tmp/journal.log" MESSAGE_ID=$PATH_ID \
	PATHWARDEN_MAP=mpatha PATHWARDEN_PATH=8:16 PATHWARDEN_STATE=failed \
	PRIORITY=4
check "every entry names pathwarden" \
	[ "$(entries "$tmp/journal.log" SYSLOG_IDENTIFIER=pathwarden)" -eq "$(wc -l < "$tmp/journal.log")" ]
check "an event sent to the journal is not logged twice" \
	not grep -q "path_failed 8:16" "$tmp/log"
kill -TERM $pid
rc=0; wait $pid || rc=$?
pid=
check "SIGTERM: exit 0" [ "$rc" -eq 0 ]
check "STOPPING=1 on the way out" has 1 "$tmp/notify.log" STOPPING=1

# doctor --journal: each finding an entry with its keyword and fix (the
# fixture host "misrouted": multipathd on the non-optimized group).
DOCTOR_ID=5fc05897fa374d769c02b9d07dc367df
rc=0
"$pw" -c "$fx/misrouted/pathwarden.conf" --root "$fx/misrouted/root" \
	--capture "$fx/misrouted/capture" --replay "$fx/misrouted/replay" \
	doctor --journal > "$tmp/doctor.out" 2>&1 || rc=$?
is "doctor --journal: exit 1 (a finding)" "$rc" 1
check "doctor --journal: the finding printed as before" grep -q '\[misrouted\]' "$tmp/doctor.out"
check "doctor --journal: the finding in the journal with its keyword and fix" \
	wait_for $DL has 1 "$tmp/journal.log" MESSAGE_ID=$DOCTOR_ID \
	PATHWARDEN_EVENT=doctor PATHWARDEN_STATE=misrouted
fix=$(field "$tmp/journal.log" PATHWARDEN_FIX MESSAGE_ID=$DOCTOR_ID PATHWARDEN_STATE=misrouted)
check "doctor --journal: the fix is there ($fix)" test -n "$fix"
# journald gone: said, exit 3, the findings still printed
mv /run/systemd/journal/socket /run/systemd/journal/socket.off
rc=0
"$pw" -c "$fx/misrouted/pathwarden.conf" --root "$fx/misrouted/root" \
	--capture "$fx/misrouted/capture" --replay "$fx/misrouted/replay" \
	doctor --journal > "$tmp/doctor.out" 2> "$tmp/doctor.err" || rc=$?
mv /run/systemd/journal/socket.off /run/systemd/journal/socket
is "doctor --journal without journald: exit 3" "$rc" 3
check "doctor --journal without journald: said on stderr" \
	grep -q "the journal did not take the findings" "$tmp/doctor.err"
check "doctor --journal without journald: the findings printed" \
	grep -q '\[misrouted\]' "$tmp/doctor.out"

# Not under systemd: no NOTIFY_SOCKET, stderr not the journal: the
# events are log lines, nothing reaches either socket.
: > "$tmp/journal.log"; : > "$tmp/notify.log"
cp -a "$fx/good/root/." "$tmp/root/"
"$pw" -d -v -c "$tmp/c.conf" --root "$tmp/root" --capture "$tmp/cap" \
	run --no-udev --uevents "$tmp/ev" --probe-dir "$tmp" > "$tmp/log2" 2>&1 &
pid=$!
check "plain run: running" wait_for $DL grep -q "running:" "$tmp/log2"
echo "block change dm-0 DM_ACTION=PATH_FAILED DM_NAME=mpatha DM_PATH=8:16" > "$tmp/ev"
check "plain run: the event is a log line" \
	wait_for $DL grep -q "mpatha: path_failed 8:16" "$tmp/log2"
kill -TERM $pid; wait $pid || :; pid=
nothing_sent() {
	[ ! -s "$tmp/journal.log" ] && [ ! -s "$tmp/notify.log" ]
}
check "plain run: nothing sent to the journal or notify socket" nothing_sent
tap_end
