# A storage node that was down when the host started joins by itself when
# it comes back (issue node-return), under the verified load, with the
# pathwarden configuration and its daemon:
#   no-record   hpms02 down at start and no node record for it (its
#               portals did not answer discovery): the daemon makes the
#               record for the configured target on each portal as it
#               answers (no SendTargets), applies the timeouts, logs in
#   no-session  hpms02's records exist but its sessions were never made
# For each: the paths join within 10 s of the portals answering, the new
# sessions carry the configured timeouts, multipathd shows them ready at
# ANO's prio, doctor is quiet, no I/O error, and the daemon's log lines
# meanwhile are counted (one per distinct failure, not one per try).
# Sourced by a lab scenario after bring-up; prints TAP.

NR_JOIN_S=10
NR_IQN=${LIO_IQN[hpms02]}

nr_npaths() { multipathd show paths raw format "%d %t %T" 2>/dev/null | grep -c ' active ready$'; }
nr_daemon_lines() { wc -l < "$PW_LAB_DAEMON_LOG"; }
# hpms01's two paths only, both checked ready (a path just added is not
# ready until multipathd's first check of it)
nr_hpms01_only() {
	[ "$(multipathd show paths raw format "%d" 2>/dev/null | wc -l)" -eq 2 ] &&
		[ "$(nr_npaths)" -eq 2 ]
}

# nr_start CASE: daemon stopped, every session out, hpms02 down; CASE
# no-record also deletes hpms02's node records; hpms01 logged in as
# `pathwarden login` does; the daemon started; the load running.
nr_start() {
	local p
	_lab_daemon_stop
	_lab_logout_all || return 1
	lio_set_state hpms01 active > /dev/null
	lio_set_state hpms02 nonoptimized > /dev/null
	fault_node_down hpms02 || return 1
	if [ "$1" = no-record ]; then
		iscsiadm -m node -T "$NR_IQN" -o delete > /dev/null 2>&1
		# what the host's boot left: discovery reached hpms01 only
		pathwarden -c "$PW_LAB_CONF" login > "$PW_RESULTS/nr-$1-login.txt" 2>&1
	else
		for p in ${LIO_PORTALS[hpms01]}; do
			iscsiadm -m node -T "${LIO_IQN[hpms01]}" -p "$p:3260" --login > /dev/null 2>&1
		done
	fi
	udevadm settle --timeout=30
	wait_until 60 sh -c '[ "$(multipathd show paths raw format "%d" | wc -l)" -eq 2 ]' || return 1
	_lab_daemon_start || return 1
	# The check below asserts it; failing set-up here would hide why.
	wait_until 30 nr_hpms01_only
	rm -f /run/pwlab/nr.stop
	"$PW_BUILD/lab/pwlab-io" -d "$(mp_dev)" -s /run/pwlab/nr.stop -n 1024 -r 100 \
		> "$PW_RESULTS/nr-$1.io" 2>&1 &
	NR_IO=$!
	sleep 3
}

nr_case() {
	local c=$1 t0 t1 joined lines0 lines1 err rec n s ok
	log "node-return $c: hpms02 down at start"
	if ! nr_start "$c"; then
		tap_not_ok "node-return $c: set-up (hpms01 only, daemon running)"
		return 1
	fi
	tap_check "node-return $c: the host starts with hpms01's 2 paths only, ready ($(nr_npaths))" \
		nr_hpms01_only
	if [ "$c" = no-record ]; then
		rec=$(iscsiadm -m node 2>/dev/null | grep -c "$NR_IQN")
		tap_check "node-return $c: no node record for hpms02 ($rec)" test "$rec" -eq 0
	fi
	sleep 5		# the daemon has probed the dead portals a few times
	lines0=$(nr_daemon_lines)
	fault_node_up hpms02
	t0=$EPOCHREALTIME
	if wait_until 60 sh -c "[ \$(multipathd show paths raw format '%d %t %T' | grep -c ' active ready\$') -eq 4 ]"; then
		t1=$EPOCHREALTIME
		joined=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	else
		joined=timeout
	fi
	lines1=$(nr_daemon_lines)
	log "node-return $c: 4 paths ${joined} s after hpms02's portals answered; $((lines1 - lines0)) daemon log lines meanwhile"
	echo "$c joined_s $joined daemon_lines $((lines1 - lines0))" >> "$PW_RESULTS/node-return.txt"
	tap_check "node-return $c: 4 paths within ${NR_JOIN_S} s of the portals answering (${joined} s)" \
		awk -v j="$joined" -v m="$NR_JOIN_S" 'BEGIN { exit !(j != "timeout" && j + 0 <= m) }'
	# The new sessions' timeouts: NOP-Out interval and timeout on the
	# connection, the replacement timeout in the node record (multipathd
	# writes fast_io_fail_tmo into the live session's recovery_tmo).
	ok=0
	for s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$s/targetname" 2>/dev/null)" = "$NR_IQN" ] || continue
		n=${s##*session}
		if [ "$(cat /sys/class/iscsi_connection/connection$n:0/recv_tmo 2>/dev/null)" = 1 ] &&
		   [ "$(cat /sys/class/iscsi_connection/connection$n:0/ping_tmo 2>/dev/null)" = 1 ]; then
			ok=$((ok + 1))
		fi
	done
	tap_check "node-return $c: both new sessions with NOP-Out 1 s / 1 s ($ok)" test "$ok" -eq 2
	n=$(iscsiadm -m node 2>/dev/null | grep -c " $NR_IQN$")
	ok=0
	for p in ${LIO_PORTALS[hpms02]}; do
		iscsiadm -m node -T "$NR_IQN" -p "$p:3260" 2>/dev/null |
			grep -qx 'node.session.timeo.replacement_timeout = 5' && ok=$((ok + 1))
	done
	tap_check "node-return $c: hpms02's node records with replacement_timeout 5 ($ok of $n)" test "$ok" -eq 2
	s=$(multipathd show paths raw format "%d %T %p" | sort -k3 -n | awk '{ print $2 ":" $3 }' | tr '\n' ' ')
	tap_check "node-return $c: checker and prio right (hpms02 ready:10, hpms01 ready:50): $s" \
		test "$s" = "ready:10 ready:10 ready:50 ready:50 "
	if wait_until 30 sh -c "pathwarden -c '$PW_LAB_CONF' doctor > '$PW_RESULTS/nr-$c-doctor.txt' 2>&1"; then
		tap_ok "node-return $c: doctor finds nothing"
	else
		tap_not_ok "node-return $c: doctor finds nothing: $(head -n 3 "$PW_RESULTS/nr-$c-doctor.txt" | tr '\n' ' ')"
	fi
	: > /run/pwlab/nr.stop
	wait "$NR_IO"
	err=$(tail -n 1 "$PW_RESULTS/nr-$c.io")
	tap_check "node-return $c: no I/O error or mismatch ($err)" \
		sh -c "echo '$err' | grep -q 'io_errors=0 mismatches=0'"
	tap_check "node-return $c: the daemon logged at most a few lines meanwhile ($((lines1 - lines0)))" \
		test $((lines1 - lines0)) -le 20
	if [ "$c" = no-record ]; then
		n=$(tail -n +"$((lines0 + 1))" "$PW_LAB_DAEMON_LOG" | grep -c "re-login hpms02 .*(node record made first)")
		tap_check "node-return $c: both portals' records made by the daemon, no SendTargets ($n)" \
			test "$n" -eq 2
	fi
}

nr_case no-record
nr_case no-session
# The lab as the tests after this expect it: both nodes, 4 paths.
fault_node_up hpms02 > /dev/null 2>&1
lab_config pathwarden > /dev/null || log "node-return: lab_config pathwarden failed"
