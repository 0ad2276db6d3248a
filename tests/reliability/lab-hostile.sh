# A hostile target through the real stack (issue 8): RTPG answered with
# garbage, two bytes, a length larger than what was sent, a reserved state
# code, or CHECK CONDITION every time, by the TCMU handler behind
# lab/guest/hostile.sh.  Each answer goes through iSCSI, the SCSI midlayer
# and SG_IO to the rtpg checker inside multipathd.  For each: the path goes
# down with the checker's message for it, the handler did answer RTPGs in
# that mode, multipathd answers `show status` within 1 s, and the path comes
# back once the answers are good again.  Throughout: the same multipathd,
# and the lab's own map (hpms01/hpms02) untouched.
# Sourced by a lab scenario after bring-up; prints TAP.

HOSTILE_HOLD_S=${HOSTILE_HOLD_S:-15}

# hostile_path: "CHECKER_STATE DM_STATE" of the hostile LU's path, once it
# is in its map (before that a reload is still to come, and the kernel's
# alua handler sends its own RTPG when dm activates the path)
hostile_path() {
	multipathd show paths raw format "%d %T %t %m" 2>/dev/null |
		awk -v d="$HOSTILE_SD" -v m="$HOSTILE_WWID" '$1 == d && $4 == m { print $2, $3 }'
}
hostile_ready() { [ "$(hostile_path)" = "ready active" ]; }
hostile_faulty() { [ "$(hostile_path)" = "faulty failed" ]; }
# hostile_said FROM_LINE TEXT: multipathd logged the checker's TEXT for the
# path since FROM_LINE
hostile_said() {
	sed -n "$(($1 + 1)),\$p" "$MPATHD_LOG" |
		grep -Eq "$HOSTILE_SD(:| -) rtpg checker $2"
}

log "hostile target: TCMU handler on $HOSTILE_PORTAL"
if ! hostile_setup || ! hostile_login; then
	tap_not_ok "hostile: target set up and logged in (see $HOSTILE_LOG)"
	return 0 2>/dev/null || exit 0
fi
ini_fast_checks hostile on
mpd=$(pidof multipathd)
tap_check "hostile: $HOSTILE_SD ($HOSTILE_WWID) up while the answers are good" \
	wait_until 60 hostile_ready

# mode, then the message the checker must give (an extended regex)
hostile_cases=(
	"garbage	(malformed RTPG response|own target port group missing from RTPG)"
	"short	malformed RTPG response"
	"overlong	malformed RTPG response"
	"badstate	malformed RTPG response"
	"error	RTPG failed with sense data"
)
for c in "${hostile_cases[@]}"; do
	mode=${c%%	*} msg=${c#*	}
	from=$(wc -l < "$MPATHD_LOG")
	n0=$(hostile_rtpgs "$mode")
	hostile_mode "$mode"
	t0=$SECONDS
	if wait_until 60 hostile_faulty; then
		tap_ok "hostile $mode: $HOSTILE_SD failed ($((SECONDS - t0)) s)"
	else
		tap_not_ok "hostile $mode: $HOSTILE_SD failed (is: $(hostile_path))"
	fi
	tap_check "hostile $mode: the checker said \"$msg\"" hostile_said "$from" "$msg"
	n1=$(hostile_rtpgs "$mode")
	tap_check "hostile $mode: the target sent $((n1 - n0)) such answers" \
		test "$((n1 - n0))" -gt 0
	if [ "$mode" = error ]; then
		# an error for good: the path stays down, and nobody (checker,
		# prio, kernel handler) turns it into a storm of commands
		n0=$(hostile_rtpgs error)
		sleep "$HOSTILE_HOLD_S"
		n1=$(hostile_rtpgs error)
		tap_check "hostile error: $HOSTILE_SD still failed after ${HOSTILE_HOLD_S} s more" hostile_faulty
		tap_check "hostile error: $((n1 - n0)) RTPGs in those ${HOSTILE_HOLD_S} s (polling every second: at most 2 a second)" \
			test "$((n1 - n0))" -le "$((2 * HOSTILE_HOLD_S))"
	fi
	st_ms=$(ms timeout 10 multipathd show status)
	tap_check "hostile $mode: multipathd show status answered in ${st_ms} ms" \
		test "${st_ms:-99999}" -lt 1000
	hostile_mode ok
	t0=$SECONDS
	if wait_until 60 hostile_ready; then
		tap_ok "hostile $mode: $HOSTILE_SD back with good answers ($((SECONDS - t0)) s)"
	else
		tap_not_ok "hostile $mode: $HOSTILE_SD back with good answers (is: $(hostile_path))"
	fi
done
ini_fast_checks hostile off
tap_check "hostile: multipathd the same process throughout" \
	test -n "$mpd" -a "$(pidof multipathd)" = "$mpd"
tap_check "hostile: the lab's map untouched ($(multipathd show paths raw format '%d %T %p' 2>/dev/null | grep -v "^$HOSTILE_SD " | sort | tr '\n' ';'))" \
	wait_until 30 sh -c "[ \"\$(multipathd show paths raw format '%d %T %p' | grep -v '^$HOSTILE_SD ' | awk '{ print \$2, \$3 }' | sort | tr '\n' ' ')\" = 'ready 10 ready 10 ready 50 ready 50 ' ]"
