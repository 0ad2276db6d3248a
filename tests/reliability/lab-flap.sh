# Check cycles by the thousand with flapping ALUA states (issue 8): every
# path checked every second, hpms02's group cycling non-optimized ->
# standby -> transitioning -> non-optimized through the agent (each change
# a unit attention, a daemon re-evaluation, multipathd reloads), and the
# resident memory of multipathd and of the pathwarden daemon compared
# between the end of a warm-up and the end of the run.
# Sourced by a lab scenario after bring-up, with the pathwarden
# configuration in place (rtpg plugins, daemon running); prints TAP.

# `make check` flaps for 120 s (PW_LAB_FLAP_SECONDS), `make lab-integration`
# for 240; the bounds on the calls below scale with it.
FLAP_SECONDS=${PW_LAB_FLAP_SECONDS:-240}
FLAP_WARMUP=${FLAP_WARMUP:-40}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
# verdicts FROM_LINE: the checker's calls in multipathd's log since then
# (pending ones included).  multipathd runs at -v4 for the flap: from 0.11
# on, -v3 logs a verdict only when it changes.
verdicts() {
	sed -n "$(($1 + 1)),\$p" "$MPATHD_LOG" | grep -Ec ': rtpg state = [a-z]+$' |
		tr -d ' '
}
verdicts_pending() {
	sed -n "$(($1 + 1)),\$p" "$MPATHD_LOG" | grep -c ': rtpg state = pending$'
}

flap_states=(standby transitioning nonoptimized)
flap_n=0
flap_for() {
	local end=$((SECONDS + $1))
	while [ $SECONDS -lt $end ]; do
		lio_set_state hpms02 "${flap_states[$((flap_n % 3))]}" > /dev/null 2>&1 ||
			{ log "flap: lio_set_state failed"; return 1; }
		flap_n=$((flap_n + 1))
		sleep 1
	done
}

log "flapping hpms02's group for ${FLAP_WARMUP}+${FLAP_SECONDS} s, every path checked every second"
ini_multipathd_verbosity 4 || log "flap: multipathd at -v4 failed"
ini_fast_checks flap on
sleep 3
mpd=$(pidof multipathd)
pwd_pid=$(lab_daemon_pid)
flap_for "$FLAP_WARMUP"
from=$(wc -l < "$MPATHD_LOG")
mpd_rss0=$(rss_kib "$mpd") pw_rss0=$(rss_kib "$pwd_pid")
flap_for "$FLAP_SECONDS"
mpd_rss1=$(rss_kib "$mpd") pw_rss1=$(rss_kib "$pwd_pid")
n_calls=$(verdicts "$from")
n_checks=$((n_calls - $(verdicts_pending "$from")))
lio_set_state hpms02 nonoptimized > /dev/null 2>&1
ini_fast_checks flap off
log "flap: $flap_n state changes, $n_calls checker calls ($n_checks RTPGs completed) in ${FLAP_SECONDS} s; RSS multipathd ${mpd_rss0} -> ${mpd_rss1} KiB, pathwarden ${pw_rss0} -> ${pw_rss1} KiB"
echo "changes $flap_n calls $n_calls checks $n_checks multipathd_kib $mpd_rss0 $mpd_rss1 pathwarden_kib $pw_rss0 $pw_rss1" \
	> "$PW_RESULTS/flap-memory.txt"

# daemon_gone WHEN: what the daemon's log and the kernel said last
daemon_gone() {
	log "flap: no pathwarden daemon $1; its log ends:"
	tail -n 12 "$PW_LAB_DAEMON_LOG" | sed 's/^/#   /'
	dmesg | grep -Ei 'pathwarden|oom|segfault' | tail -n 5 | sed 's/^/#   /'
}
[ -n "$pwd_pid" ] || daemon_gone "at the start"
[ -n "$pwd_pid" ] && [ "$(lab_daemon_pid)" != "$pwd_pid" ] && daemon_gone "at the end"
tap_check "flap: multipathd and the daemon the same processes throughout" \
	test -n "$mpd" -a -n "$pwd_pid" -a "$(pidof multipathd)" = "$mpd" -a "$(lab_daemon_pid)" = "$pwd_pid"
# multipathd calls the checker every second per path, at most 960 calls
# in 240 s.  Up to 0.10 an RTPG under TCG outlasts the first call's wait
# and completes at the next call (0.9.4: 885 calls, 456 completed); from
# 0.11 the checker loop waits for it within the cycle, and map reloads
# delay cycles (0.11.1: 669 and 547 calls in 240 s, all completed).  The
# bound is for a load of hundreds of checks, not a rate: 1.5 calls and 1
# completed RTPG a second.
flap_min_calls=$((FLAP_SECONDS * 3 / 2)) flap_min_checks=$FLAP_SECONDS
tap_check "flap: at least $flap_min_calls checker calls, $flap_min_checks RTPGs completed ($n_calls, $n_checks)" \
	test "$n_calls" -ge "$flap_min_calls" -a "$n_checks" -ge "$flap_min_checks"
# RSS moves in pages and with malloc's arenas.  multipathd's own work
# (some 200 map reloads here) grew it 132-652 KiB in six runs, so its
# bound catches only a gross leak: 2 MiB is over 2 KiB per checker call.
# The plugins' own leaks are memcheck's business (the plugin harness).
tap_check "flap: multipathd's RSS grew less than 2 MiB (${mpd_rss0} -> ${mpd_rss1} KiB, $n_calls checker calls)" \
	test $((mpd_rss1 - mpd_rss0)) -lt 2048
# The daemon (10-11 MiB resident now; 3.8 when this bound was 256 KiB)
# grows in heap steps of its own: +788 KiB in its first 30 s of flapping
# and +24 KiB in the 510 s after (make memory, 2026-12-06), and one CI
# run measured +512 KiB in this window after the 40 s warm-up (14 of
# multipathd's timeouts in it, paths the warm-up had not taken).  With
# 99-168 state changes in the window (measured), 1 MiB still fails a
# leak of 10 KiB or more per change; slow leaks are make memory's slope
# and valgrind's.
tap_check "flap: the pathwarden daemon's RSS grew less than 1 MiB (${pw_rss0} -> ${pw_rss1} KiB)" \
	test -n "$pw_rss0" -a -n "$pw_rss1" -a $((pw_rss1 - pw_rss0)) -lt 1024
if wait_until 60 sh -c '[ "$(multipathd show paths raw format "%T %p" | sort | tr "\n" " ")" = "ready 10 ready 10 ready 50 ready 50 " ]'; then
	tap_ok "flap: the map settles back (hpms01 optimized, hpms02 non-optimized)"
else
	tap_not_ok "flap: the map settles back: $(mp_paths | tr '\n' ';')"
fi
ini_multipathd_verbosity 3 || log "flap: multipathd back at -v3 failed"
