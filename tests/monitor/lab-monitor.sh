# pathwarden (the monitor) end to end in the lab (issue 5).  Sourced by a
# lab scenario after bring-up (every lab function loaded: log, tap_*,
# wait_until, lio_*, fault_*); prints TAP, leaves tap_done to the scenario.
# Uses the pathwarden installed in the guest, with the plugins and
# multipath.conf.d, as a host would have them.

PW=${PW:-pathwarden}
CONF=/run/pathwarden-lab.conf
REC=$PW_RESULTS/pathwarden-records.jsonl
PWLOG=$PW_RESULTS/logs/pathwarden.log
WAIT=${PW_E2E_WAIT:-50}

# --- configuration from the lab's own nodes and portals -------------------
: > "$CONF"
for n in $LIO_NODES; do
	echo "node $n ${LIO_PORTALS[$n]} target ${LIO_IQN[$n]}" >> "$CONF"
done
MAP=$(map_name)
cat >> "$CONF" <<CONF
probe $MAP interval-ms 25
metrics 127.0.0.1:9857
records $REC
CONF
tap_check "pathwarden -n accepts the lab's configuration" "$PW" -n -c "$CONF"

# --- status against multipathd and RTPG -------------------------------------
# The agent tests before this one end with ALUA changes whose unit attentions
# multipathd takes in at its next checks; comparing while it does compares two
# moments.  Start from a settled map: every path ready, hpms01's at the
# optimized prio, hpms02's at the non-optimized one, dm on hpms01's group.
mp_settled() {
	[ "$(multipathd show paths raw format "%T %p" | sort | tr '\n' ' ')" = \
		"ready 10 ready 10 ready 50 ready 50 " ] && io_on hpms01
}
wait_until 60 mp_settled ||
	log "multipathd not settled after 60 s: $(multipathd show paths raw format '%d %T %p' | tr '\n' ';')"
"$PW" -c "$CONF" status --json > "$PW_RESULTS/status.json"
tap_check "status --json: 4 paths" sh -c "jq -e '.maps[0].paths | length == 4' '$PW_RESULTS/status.json'"
spc_name() {
	case "$1" in
	0x00) echo active/optimized ;; 0x01) echo active/non-optimized ;;
	0x02) echo standby ;; 0x03) echo unavailable ;; 0x0e) echo offline ;;
	0x0f) echo transitioning ;; *) echo "$1" ;;
	esac
}
for d in $(multipathd show paths raw format "%d"); do
	mp=$(multipathd show paths raw format "%d %T %p" | awk -v d="$d" '$1 == d { print $2 " " $3 }')
	pw=$(jq -r --arg d "$d" '.maps[0].paths[] | select(.dev == $d) | "\(.checker_state) \(.prio)"' "$PW_RESULTS/status.json")
	tap_check "status $d: checker state and prio as multipathd says ($mp)" test "$mp" = "$pw"
	# sg3_utils' sg_rtpg, independent of the project's parser: the state
	# of the path's own group (its id from the status) as it reports it.
	gid=$(jq -r --arg d "$d" '.maps[0].paths[] | select(.dev == $d) | .alua_group' "$PW_RESULTS/status.json")
	want=$(rtpg_view "$d" | tr ' ' '\n' | awk -F= -v g="$gid" '$1 == sprintf("0x%x", g) { print $2 }')
	pws=$(jq -r --arg d "$d" '.maps[0].paths[] | select(.dev == $d) | .alua_state' "$PW_RESULTS/status.json")
	tap_check "status $d: group $gid '$pws', as sg_rtpg says ($(spc_name "$want"))" \
		test "$pws" = "$(spc_name "$want")"
done
tap_check "status: hpms01 paths active/optimized" sh -c \
	"jq -e '[.maps[0].paths[] | select(.node == \"hpms01\") | .alua_state] == [\"active/optimized\",\"active/optimized\"]' '$PW_RESULTS/status.json'"
tap_check "status: map verdict ok" sh -c "jq -e '.maps[0].verdict == \"ok\"' '$PW_RESULTS/status.json'"

# --- doctor: clean, then a broken multipath configuration -------------------
# The bring-up logged the sessions in itself, with Debian's NOP-Out
# defaults (5 s), not through `pathwarden login` (1 s in this
# configuration): doctor must name that drift, from the live sysfs values
# of a real kernel, and nothing else.
"$PW" -c "$CONF" doctor > "$PW_RESULTS/doctor-clean.txt"; rc=$?
dr_others=$(grep -E '^(info|warning|hazard) \[' "$PW_RESULTS/doctor-clean.txt" |
	grep -vc '\[session-drift\]')
dr_drift=$(grep -Ec '^warning \[session-drift\] .*noop_out_(interval|timeout) is 5 s live' \
	"$PW_RESULTS/doctor-clean.txt")
tap_check "doctor on the shipped configuration: nothing found but the bring-up sessions' drift (exit $rc, $dr_others other findings)" \
	test "$dr_others" -eq 0
tap_check "doctor names the bring-up sessions' 5 s NOP-Outs against 1 s wanted ($dr_drift findings)" \
	test "$dr_drift" -ge 1
cat > /etc/multipath/conf.d/zz-pw-broken.conf <<'BROKEN'
overrides {
	detect_prio yes
	failback manual
}
BROKEN
multipathd reconfigure >/dev/null
# multipathd 0.9 answers 'reconfigure' before it has re-read its files:
# ask until doctor sees the new configuration, or 30 s
doctor_broken() {
	"$PW" -c "$CONF" doctor > "$PW_RESULTS/doctor-broken.txt"
	[ $? -eq 1 ]
}
tap_check "doctor on a broken configuration: exit 1" wait_until 30 doctor_broken
tap_check "doctor finds detect_prio" grep -q '\[detect-prio\]' "$PW_RESULTS/doctor-broken.txt"
tap_check "doctor finds manual failback" grep -q '\[failback\]' "$PW_RESULTS/doctor-broken.txt"
rm -f /etc/multipath/conf.d/zz-pw-broken.conf
multipathd reconfigure >/dev/null
sleep 3

# --- discover + login from nothing ------------------------------------------
iscsiadm -m node -u >/dev/null 2>&1
rm -rf /etc/iscsi/nodes /etc/iscsi/send_targets
wait_until 30 sh -c '[ "$(iscsiadm -m session 2>/dev/null | grep -c ^tcp)" -eq 0 ]'
"$PW" -c "$CONF" discover > "$PW_RESULTS/discover.txt"; rc=$?
tap_check "discover: every portal answers (exit $rc)" test "$rc" -eq 0
"$PW" -c "$CONF" login > "$PW_RESULTS/login.txt"; rc=$?
tap_check "login from nothing: exit 0" test "$rc" -eq 0
tap_check "login: 4 sessions" test "$(iscsiadm -m session | grep -c ^tcp)" -eq 4
tap_check "login: session replacement timeout applied" sh -c \
	"iscsiadm -m node -T '${LIO_IQN[hpms01]}' | grep -q 'node.session.timeo.replacement_timeout = 5'"
"$PW" -c "$CONF" login > "$PW_RESULTS/login2.txt"; rc=$?
tap_check "login again: idempotent (exit $rc, nothing new)" sh -c \
	"[ $rc -eq 0 ] && ! grep -q ': logged in' '$PW_RESULTS/login2.txt'"
expect_map() { [ "$(multipathd show paths raw format '%d' | grep -c .)" -eq 4 ]; }
tap_check "login: the map has 4 paths again" wait_until 60 expect_map
MAP=$(map_name)
wait_until "$WAIT" io_on hpms01

# --- the daemon: planned switchover -----------------------------------------
# Each log line stamped with the guest's clock (bash's $EPOCHREALTIME), to
# line the daemon's view up with the faults in the scenario's log.
setsid "$PW" -d -v -v -c "$CONF" run 2>&1 < /dev/null |
	while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done > "$PWLOG" &
wait_until 5 pidof pathwarden
PWPID=$(pidof pathwarden)
wait_until 10 sh -c "curl -sf http://127.0.0.1:9857/metrics > '$PW_RESULTS/metrics.txt'"
tap_check "metrics pass promtool" sh -c "promtool check metrics < '$PW_RESULTS/metrics.txt'"
sleep 2
# dm's own status every 0.2 s while the switchover lasts, stamped with the
# guest clock: the record of which group carried I/O when.
dm_trace() {
	while [ ! -e /run/pwlab/dm-trace.stop ]; do
		echo "$EPOCHREALTIME $(dmsetup status "$MAP")"
		sleep 0.2
	done > "$PW_RESULTS/dm-trace-$1.txt"
}
rm -f /run/pwlab/dm-trace.stop
dm_trace switchover &
trace_pid=$!
log "switchover to hpms02 at $EPOCHREALTIME"
fault_promote hpms02
# Timing targets are the benchmark's (make demo prints them against stock,
# measured by pathwarden bench's own observer); here: it happens, and how
# long it took is printed.
t=$(since_promoted 30 io_on hpms02)
: > /run/pwlab/dm-trace.stop
wait "$trace_pid"	# not a bare wait: the daemon's pipeline is a job too
# When dm first sent I/O to hpms02's paths, from the trace (polling io_on
# forks too much under TCG to time it).
t_dm=$(awk -v want="$(node_devts hpms02 | tr '\n' ' ')" -v t0="$(cat /run/pwlab/promoted.t)" '
	BEGIN { nw = split(want, w, " "); for (i = 1; i <= nw; i++) W[w[i]] = 1 }
	{ f = 5; f += $f + 1; f += $f + 1; ng = $f; nx = $(f + 1); f += 2
	  hit = 0; cnt = 0
	  for (g = 1; g <= ng; g++) {
		f++; f += $f + 1; np = $f; pa = $(f + 1); f += 2
		for (p = 0; p < np; p++) {
			if (g == nx) { cnt++; hit += ($f in W) }
			f += 3 + pa
		}
	  }
	  if (cnt == nw && hit == nw) { printf "%.2f", $1 - t0; exit }
	}' "$PW_RESULTS/dm-trace-switchover.txt")
tap_check "planned switchover: I/O on hpms02's group (dm: ${t_dm:-?} s after its promotion)" \
	test -n "$t"
sleep "$WAIT"
tap_check "switch not reverted by multipathd's next checks ($WAIT s)" io_on hpms02
# Who moves the I/O is a race.  From multipath-tools 0.11 on, multipathd
# here regroups by prio within about a second of each ALUA change (the
# demotion briefly leaves one group of four paths, with nothing to switch
# to), and the daemon may then find the map already on the optimized
# group.  Either outcome is right and named; a switch the daemon made must
# be confirmed.
switch_outcome() {
	if grep -q '"type":"switch".*"outcome":"confirmed"' "$REC"; then
		echo "the daemon switched, record confirmed"
	elif grep -q '"type":"switch"' "$REC"; then
		return 1
	elif awk -v t0="$(cat /run/pwlab/promoted.t)" '$1 >= t0 &&
		/after the ALUA change: already on the optimized group/ { f = 1 }
		END { exit !f }' "$PWLOG"; then
		echo "multipathd regrouped first, the daemon found the map on the optimized group"
	else
		return 1
	fi
}
sw=$(switch_outcome) || sw=
tap_check "switchover: ${sw:-no confirmed switch record, and the daemon did not find the map on the optimized group}" \
	test -n "$sw"
fault_promote hpms01
t=$(time_until 20 io_on hpms01)
tap_check "switch back: I/O on hpms01 after ${t:-more than 20} s" test -n "$t"

# --- node restored -------------------------------------------------------------
sleep 2
fault_link_drop hpms01
wait_until 60 io_on hpms02
tap_check "silent loss of hpms01: I/O moved to hpms02" io_on hpms02
log "hpms01's links back at $EPOCHREALTIME"
fault_link_restore hpms01
t=$(time_until 60 io_on hpms01)
tap_check "node restored: I/O back on hpms01 (${t:-not within 60} s after its links)" \
	test -n "$t"
# Its job logs the session out and in, or finds iscsid was quicker: either
# way it acted on the returning portals.
tap_check "node restored: the daemon acted on hpms01's returning portals" \
	grep -q "re-login hpms01 " "$PWLOG"
sleep 2
tap_check "a failover window was recorded" grep -q '"type":"failover"' "$REC"
kill -TERM "$PWPID"
wait_until 5 sh -c "! kill -0 $PWPID"
tap_check "daemon stops on SIGTERM" sh -c "! kill -0 $PWPID 2>/dev/null"
tap_check "records are JSON lines" sh -c "jq -c . '$REC' > /dev/null"
tap_check "nothing secret in the daemon log" sh -c "! grep -qi password '$PWLOG'"
