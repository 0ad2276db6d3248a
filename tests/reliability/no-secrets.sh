#!/bin/sh
# No CHAP credential in anything pathwarden prints or writes.  A fixture
# host (the monitor tests' "good") gets CHAP usernames and passwords in
# every place an initiator keeps them: the iSCSI session attributes in
# sysfs, iscsid.conf, the node records, and iscsiadm's own output.  Then
# every command runs (status, status --json, doctor, -n -v, discover,
# login, capture, and the daemon with its log, metrics and records), and
# no secret may appear in any output.  Prints TAP.
# Usage: no-secrets.sh PATHWARDEN MONITOR_FIXTURE_DIR
set -eu
pw=$1; fx=$2
case $pw in /*) ;; *) pw=$PWD/$pw ;; esac
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"
KEEP=${KEEP:-}
tmp=$(mktemp -d); pid=
[ -z "$KEEP" ] || echo "# kept in $tmp"
trap '[ -z "$pid" ] || kill $pid 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT

# Made up for this test, so a hit can only come from the fixture.
U=rel8-chapuser-7d1e; P=rel8-chappass-93b4
UI=rel8-mutualuser-c05f; PI=rel8-mutualpass-2aa1
secrets="$U $P $UI $PI"

cp -r "$fx/good" "$tmp/h"
root=$tmp/h/root
for s in "$root"/sys/devices/platform/host*/session*/iscsi_session/session*; do
	echo "$U" > "$s/username"; echo "$P" > "$s/password"
	echo "$UI" > "$s/username_in"; echo "$PI" > "$s/password_in"
done
mkdir -p "$root/etc/iscsi"
# The password first: a relay of iscsiadm's first stderr line takes it.
cat > "$tmp/auth" <<END
node.session.auth.password = $P
node.session.auth.authmethod = CHAP
node.session.auth.username = $U
node.session.auth.username_in = $UI
node.session.auth.password_in = $PI
discovery.sendtargets.auth.authmethod = CHAP
discovery.sendtargets.auth.username = $U
discovery.sendtargets.auth.password = $P
END
cp "$tmp/auth" "$root/etc/iscsi/iscsid.conf"
for t in hpms01 hpms02; do
	d="$root/etc/iscsi/nodes/iqn.2016-02.local.virtual:$t.vg1/192.168.122.99,3260,1"
	mkdir -p "$d" && cp "$tmp/auth" "$d/default"
done
# The control: the secrets are really there for pathwarden to find.
all_there() {
	for x in $secrets; do
		grep -rqF "$x" "$root/sys" "$root/etc" || return 1
	done
}
check "fixture: every secret is in the host tree" all_there

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e "s#^metrics .*#metrics 127.0.0.1:$port#" \
    -e "s#^records .*#records $tmp/rec.jsonl#" \
    "$tmp/h/pathwarden.conf" > "$tmp/c.conf"
echo "portal-check-ms 0" >> "$tmp/c.conf"
echo "iscsi-timeout 2" >> "$tmp/c.conf"

pwr() { "$pw" -c "$tmp/c.conf" --root "$root" --capture "$tmp/h/capture" \
	--replay "$tmp/h/replay" "$@"; }
clean() {	# what, file: the output exists and carries no secret
	if [ ! -s "$2" ]; then not_ok "$1: produced no output"; return; fi
	for x in $secrets; do
		if grep -qF "$x" "$2"; then
			not_ok "$1: no CHAP secret ($x found)"; return
		fi
	done
	ok "$1: no CHAP secret"
}

pwr status > "$tmp/status" 2>&1 || :
check "status ran" grep -q 'mpatha .* verdict ok' "$tmp/status"
clean "status" "$tmp/status"
pwr status --json > "$tmp/json" 2>&1 || :
clean "status --json" "$tmp/json"
pwr doctor > "$tmp/doctor" 2>&1 || :
check "doctor ran" grep -qx 'no findings' "$tmp/doctor"
clean "doctor" "$tmp/doctor"
"$pw" -n -v -c "$tmp/c.conf" > "$tmp/conf" 2>&1 || :
check "-n -v ran" grep -q '^node hpms01' "$tmp/conf"
clean "-n -v (configuration echo)" "$tmp/conf"

# iscsiadm that prints the records, secrets and all, on both streams;
# one portal fails so its error is relayed.
export PATHWARDEN_ISCSIADM="$here/chatty-iscsiadm.sh" \
	FAKE_ISCSI_DIR="$tmp/iscsi" CHATTY_SECRETS_FILE="$tmp/auth"
mkdir -p "$FAKE_ISCSI_DIR"
echo 192.168.122.98 > "$FAKE_ISCSI_DIR/fail"
"$pw" -c "$tmp/c.conf" --root "$tmp/none" discover > "$tmp/discover" 2>&1 || :
check "discover ran" grep -q 'iqn.2016-02.local.virtual:hpms01.vg1' "$tmp/discover"
clean "discover" "$tmp/discover"
"$pw" -c "$tmp/c.conf" --root "$tmp/none" login --no-wait > "$tmp/login" 2>&1 || :
check "login ran" grep -q 'logged in' "$tmp/login"
clean "login" "$tmp/login"

pwr capture "$tmp/cap-out" > "$tmp/capture" 2>&1 || :
check "capture ran" grep -q '^saved in' "$tmp/capture"
cat "$tmp/capture" "$tmp"/cap-out/* "$tmp"/cap-out/*/* > "$tmp/capture-all" 2>/dev/null || :
clean "capture (output and saved files)" "$tmp/capture-all"

# The daemon: its log at -v, the metrics, the records file.
cp -r "$tmp/h/capture" "$tmp/dcap"
dd if=/dev/zero of="$tmp/mpatha" bs=1M count=4 2>/dev/null
"$pw" -d -v -c "$tmp/c.conf" --root "$root" --capture "$tmp/dcap" \
	run --no-udev --probe-dir "$tmp" > "$tmp/log" 2>&1 &
pid=$!
i=0
until python3 -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:$port/metrics', timeout=2).read().decode())" > "$tmp/metrics" 2>/dev/null || [ $i -ge 60 ]; do
	sleep 0.1; i=$((i + 1))
done
sleep 1
kill -TERM $pid; wait $pid || :; pid=
check "metrics scraped" grep -q '^pathwarden_multipathd_up 1' "$tmp/metrics"
clean "metrics" "$tmp/metrics"
clean "daemon log (-v)" "$tmp/log"
if [ -s "$tmp/rec.jsonl" ]; then clean "records file" "$tmp/rec.jsonl"
else ok "records file: nothing recorded on a healthy host"; fi
tap_end
