# A hung target in the lab (issue 8): one portal of hpms02 stops answering
# in the middle of the checks.  Its PDUs are dropped while TCP still ACKs
# (fault_hang), and its session's NOP-Out is slowed to a minute (open-iscsi
# refuses to turn it off), so for the test's half minute nothing in the
# iSCSI layer notices: the rtpg checker's RTPG sits in the kernel, the case
# the checker's own bounded wait exists for.  (With the shipped NOP-Out
# 1 s / 1 s the session fails within 2-3 s and the check ends with it.)
# What must hold:
#   - each check ends within multipathd's checker timeout (its log: the
#     first "still running" to the verdict, or to multipathd's own
#     "checker not called" once the disk is blocked or gone),
#   - multipathd answers `show status` within 1 s all along,
#   - multipathd's threads do not pile up (one worker per path at most),
#   - the path fails, and comes back once the target answers again.
# Sourced by a lab scenario after bring-up, with the pathwarden
# configuration in place (rtpg plugins, daemon running); prints TAP.

HANG_PORTAL=${HANG_PORTAL:-127.2.1.1}
HANG_CK_TMO=${HANG_CK_TMO:-10}

# portal_dev ADDR: the sd whose iSCSI connection goes to ADDR.
portal_dev() {
	local d s a
	for d in /sys/block/sd*; do
		s=$(readlink -f "$d" | grep -o 'session[0-9]*' | head -n 1)
		[ -n "$s" ] || continue
		a=$(cat /sys/class/iscsi_session/$s/device/connection*/iscsi_connection/connection*/persistent_address 2>/dev/null)
		[ "$a" = "$1" ] && { basename "$d"; return 0; }
	done
	return 1
}
mpd_threads() { ls /proc/$(pidof multipathd)/task 2>/dev/null | wc -l; }
# mpd_col DEV FORMAT: one column of multipathd's view of DEV
mpd_col() { multipathd show paths raw format "%d $2" | awk -v d="$1" '$1 == d { print $2 }'; }
portal_ready() {
	local d
	d=$(portal_dev "$HANG_PORTAL") && [ "$(mpd_col "$d" %T)" = ready ]
}
all_ready() { [ "$(multipathd show paths raw format '%T' | grep -c '^ready$')" -eq 4 ]; }
# hang_session NOP_INTERVAL NOP_TIMEOUT: log the hung portal's session in
# again with those NOP-Out timers
hang_session() {
	iscsiadm -m node -T "$HANG_IQN" -p "$HANG_PORTAL:3260" -o update \
		-n 'node.conn[0].timeo.noop_out_interval' -v "$1" > /dev/null &&
	iscsiadm -m node -T "$HANG_IQN" -p "$HANG_PORTAL:3260" -o update \
		-n 'node.conn[0].timeo.noop_out_timeout' -v "$2" > /dev/null &&
	iscsiadm -m node -T "$HANG_IQN" -p "$HANG_PORTAL:3260" -u > /dev/null &&
	iscsiadm -m node -T "$HANG_IQN" -p "$HANG_PORTAL:3260" -l > /dev/null
}

lio_portal_node "$HANG_PORTAL"
HANG_IQN=${LIO_IQN[$LIO_NODE]}
log "hung target: $HANG_PORTAL stops answering, TCP still ACKs, NOP-Out every 60 s"
# The daemon would log the session in again with its own NOP-Out settings.
_lab_daemon_stop
hang_session 60 60 || log "could not log $HANG_PORTAL in again with slow NOP-Out"
cat > /etc/multipath/conf.d/zz-pwlab-hang.conf <<CONF
defaults {
	polling_interval 1
	max_polling_interval 1
	checker_timeout $HANG_CK_TMO
}
CONF
multipathd reconfigure > /dev/null
wait_until 60 all_ready
HANG_DEV=$(portal_dev "$HANG_PORTAL")
tap_check "hang: the path through $HANG_PORTAL is ${HANG_DEV:-missing}, every path ready" \
	sh -c "[ -n '$HANG_DEV' ] && [ \$(multipathd show paths raw format '%T' | grep -c '^ready\$') -eq 4 ]"
base_threads=$(mpd_threads)
n_paths=$(multipathd show paths raw format '%d' | grep -c '^sd')
log_from=$(wc -l < "$MPATHD_LOG")
t_hang=$EPOCHREALTIME
fault_hang "$HANG_PORTAL"

# Watch for three checker timeouts: every half second multipathd's answer
# time, its threads, the path's dm state.
max_status=0 max_threads=$base_threads failed_after=
end=$((SECONDS + 3 * HANG_CK_TMO))
while [ $SECONDS -lt $end ]; do
	t=$(ms multipathd show status)
	[ "$t" -gt "$max_status" ] && max_status=$t
	n=$(mpd_threads)
	[ "$n" -gt "$max_threads" ] && max_threads=$n
	[ -z "$failed_after" ] && [ "$(mpd_col "$HANG_DEV" %t)" = failed ] &&
		failed_after=$(awk -v a="$t_hang" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	sleep 0.5
done
tap_check "hang: multipathd show status answered within 1 s all along (slowest ${max_status} ms)" \
	test "$max_status" -lt 1000
# other paths' checks start short-lived workers too: one per path at most
tap_check "hang: no pile of stuck workers (multipathd's threads: baseline $base_threads, at most $max_threads, $n_paths paths)" \
	test "$max_threads" -le $((base_threads + n_paths))
tap_check "hang: $HANG_DEV failed in dm (after ${failed_after:-never} s; checker timeout ${HANG_CK_TMO} s)" \
	test -n "$failed_after"
# pathwarden status sends its own RTPG per path, through the sg node's
# asynchronous interface: it gives up on the hung one at its rtpg timeout
# (2 s) plus a second, where SG_IO on the disk waited out the kernel's
# error handling (5.5-15.4 s in earlier runs).  2 s for the rest.
pw_ms=$(ms timeout 150 pathwarden -c "$PW_LAB_CONF" status)
log "hang: pathwarden status took ${pw_ms} ms during the hang"
tap_check "hang: pathwarden status answered in ${pw_ms} ms (bound 5000: RTPG timeout 2 s + 1 s, 2 s for the rest)" \
	test "${pw_ms:-999999}" -lt 5000

log_restore=$(wc -l < "$MPATHD_LOG")
fault_hang_restore "$HANG_PORTAL"
t_back=$EPOCHREALTIME
if wait_until 150 portal_ready; then
	tap_ok "hang: the path through $HANG_PORTAL back after the target answered again ($(awk -v a="$t_back" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s)"
else
	tap_not_ok "hang: the path through $HANG_PORTAL back after the target answered again: $(mp_paths | tr '\n' ';')"
fi
log_to=$(wc -l < "$MPATHD_LOG")
# From multipathd's own log: every check of the hung path that said "still
# running" ended within the checker timeout plus the core's 1 s of
# slack, a tick and TCG's jitter: with a verdict, or with multipathd no
# longer calling the checker (disk blocked or gone).  Checks started after
# the restore are left out: one is always in flight at the end.
sed -n "$((log_from + 1)),${log_to}p" "$MPATHD_LOG" | awk -F' [|] ' -v d="$HANG_DEV" \
	-v last_start=$((log_restore - log_from)) '
	function end_check() {
		if (start != "") { dur = $1 - start; if (dur > max) max = dur; start = "" }
		n++
	}
	$2 == d ": rtpg checker still running" { if (start == "" && NR <= last_start) start = $1; next }
	$2 ~ ("^" d ": rtpg state = ") && $2 !~ /pending$/ { end_check(); next }
	$2 ~ ("^" d ": state [a-z]+, checker not called") && $2 !~ /pending,/ { end_check(); next }
	$2 == d ": remove path (uevent)" { end_check() }
	END { printf "%d %.1f %s\n", n, max, (start == "" ? "none" : start) }' > "$PW_RESULTS/hang-checks.txt"
read -r n_ended longest open_since < "$PW_RESULTS/hang-checks.txt"
tap_check "hang: the checks of $HANG_DEV ended within the checker timeout (${n_ended} ended, longest ${longest} s, limit $((HANG_CK_TMO + 3)) s, none left running: $open_since)" \
	awk -v n="$n_ended" -v l="$longest" -v t="$HANG_CK_TMO" -v o="$open_since" \
		'BEGIN { exit !(n > 0 && l <= t + 3 && o == "none") }'
grep -c "$HANG_DEV: rtpg checker timed out\|$HANG_DEV - rtpg checker timed out" \
	"$MPATHD_LOG" > /dev/null && log "hang: multipathd logged the checker's time-out"

wait_until 60 sh -c "[ \$(ls /proc/\$(pidof multipathd)/task | wc -l) -le $base_threads ]"
tap_check "hang: multipathd's threads back to $base_threads ($(mpd_threads))" \
	test "$(mpd_threads)" -le "$base_threads"

# Back to the pathwarden configuration: NOP-Out on, default polling, the
# daemon running.
rm -f /etc/multipath/conf.d/zz-pwlab-hang.conf
hang_session 1 1 || log "could not log $HANG_PORTAL in again with NOP-Out 1/1"
multipathd reconfigure > /dev/null
_lab_daemon_start
wait_until 60 all_ready
alive=no
pidof multipathd > /dev/null && lab_daemon_pid > /dev/null && alive=yes
tap_check "hang: multipathd alive, the daemon running again, every path ready" \
	sh -c "[ $alive = yes ] && [ \$(multipathd show paths raw format '%T' | grep -c '^ready\$') -eq 4 ]"
