#!/bin/sh
# A stand-in for iscsiadm in the tests (PATHWARDEN_ISCSIADM points here).
# State lives in $FAKE_ISCSI_DIR: "calls" logs every invocation ("times"
# too, each after its wall-clock time), a portal address listed
# in "hang" never answers, one in "fail" is unreachable, one in
# "failonce" closes the first connection and then answers, "sessions"
# holds the target/portal pairs logged in; a number of seconds in
# "login-delay" makes each login take that long, its start and end logged
# in "logins" (to see whether logins run side by side).
# Per portal as given to -p (ADDR:PORT): one in "norecord" has no node
# records ("No records found", exit 21) until a SendTargets discovery on
# it or "-m node -o new" for it; one in "refuse" answers every login with a CHAP failure (exit 24).
# With a "targets" file, discovery offers each IQN in it at the portal
# asked.  Each login appends to "parent-sockets" how many sockets the
# process that ran it holds (the daemon's login child should hold none).
# A logout of a session (-m session -r SID -u) is logged and succeeds.
set -eu
d=${FAKE_ISCSI_DIR:?}
echo "$*" >> "$d/calls"
echo "$(date +%s.%N) $*" >> "$d/times"
mode=; tgt=; portal=; op=
while [ $# -gt 0 ]; do
	case $1 in
	-m) mode=$2; shift ;;
	-T) tgt=$2; shift ;;
	-p) portal=$2; shift ;;
	-o) op=$2; shift ;;
	--login) op=login ;;
	-u) op=logout ;;
	esac
	shift
done
addr=${portal%:*}
if grep -qx "$addr" "$d/hang" 2>/dev/null; then
	exec sleep 1000
fi
if grep -qx "$addr" "$d/failonce" 2>/dev/null; then
	# grep exits 1 when it removes the last line
	grep -vx "$addr" "$d/failonce" > "$d/failonce.new" || :
	mv "$d/failonce.new" "$d/failonce"
	echo "iscsiadm: Connection to Discovery Address $addr closed" >&2
	exit 11
fi
if grep -qx "$addr" "$d/fail" 2>/dev/null; then
	echo "iscsiadm: cannot make connection to $addr: No route to host" >&2
	exit 4
fi
# Discoveries run side by side: each only appends to "recorded".
if [ "$mode/$op" != node/new ] && [ "$mode" = node ] &&
   grep -qxF "$portal" "$d/norecord" 2>/dev/null &&
   ! grep -qxF "$portal" "$d/recorded" 2>/dev/null; then
	echo "iscsiadm: No records found" >&2
	exit 21
fi
case $mode/$op in
discovery/*)
	echo "$portal" >> "$d/recorded"
	if [ -f "$d/targets" ]; then
		while read -r iqn; do echo "$portal,1 $iqn"; done < "$d/targets"
		exit 0
	fi
	case $addr in
	192.168.122.99|192.168.152.99) n=hpms01; a=192.168.122.99; b=192.168.152.99 ;;
	*) n=hpms02; a=192.168.122.98; b=192.168.152.98 ;;
	esac
	echo "$a:3260,1 iqn.2016-02.local.virtual:$n.vg1"
	echo "$b:3260,1 iqn.2016-02.local.virtual:$n.vg1"
	;;
node/update) ;;
session/logout) ;;
node/new)
	echo "$portal" >> "$d/recorded"
	echo "New iSCSI node [tcp:[hw=,ip=,net_if=,iscsi_if=default] $portal,-1 $tgt] added"
	;;
node/login)
	if grep -qxF "$portal" "$d/refuse" 2>/dev/null; then
		echo "iscsiadm: Could not login to [iface: default, target: $tgt, portal: $portal]." >&2
		echo "iscsiadm: initiator reported error (24 - iSCSI login failed due to authorization failure)" >&2
		echo "iscsiadm: Could not log into all portals" >&2
		exit 24
	fi
	if grep -qx "$tgt $portal" "$d/sessions" 2>/dev/null; then
		echo "iscsiadm: default: 1 session requested, but 1 already present." >&2
		exit 15
	fi
	n=0
	for f in /proc/$PPID/fd/*; do
		case $(readlink "$f" 2>/dev/null) in socket:*) n=$((n + 1)) ;; esac
	done
	echo "$portal $n" >> "$d/parent-sockets"
	echo "start $portal" >> "$d/logins"
	if [ -s "$d/login-delay" ]; then sleep "$(cat "$d/login-delay")"; fi
	echo "end $portal" >> "$d/logins"
	echo "$tgt $portal" >> "$d/sessions"
	echo "Logging in to [iface: default, target: $tgt, portal: $portal]"
	echo "Login to [iface: default, target: $tgt, portal: $portal] successful."
	;;
*) echo "fake iscsiadm: unsupported $mode/$op" >&2; exit 7 ;;
esac
exit 0
