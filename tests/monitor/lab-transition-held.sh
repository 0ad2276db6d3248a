# I/O sent back to a group in transition after the daemon moved it off
# (issue alua-states; what a multipathd reload with the priorities of
# before the transition does): hpms01's group is held in transition under
# the verified load, and 8 s into it the map is switched back to that group
# (`dmsetup message MAP 0 switch_group N`).  dm-multipath then holds the
# I/O in its own queue while scsi_dh_alua activates the group, which lasts
# as long as the transition (20 s here); the daemon must see the map held
# and move the I/O again (monitor/parked_io.h).  Twice, in one boot, with
# zero I/O errors and the longest I/O under TRANS_HELD_MAX_MS.
#
# Sourced by a lab scenario after bring-up, with pathwarden's config;
# prints TAP.

TRANS_HELD_MAX_MS=${TRANS_HELD_MAX_MS:-5000}

# _held_active MAP "DEVT...": the first of those disks dm holds active in
# MAP; fails when it holds none.
_held_active() {
	dmsetup status "$1" | awk -v F=4 -v S=1 "$_DM_PATHS_AWK" |
		awk -v want=" $2" '$4 == "A" && index(want, " " $3 " ") { print $3; f = 1; exit }
			END { exit !f }'
}

trans_held() {
	local map dev devts devt pg round t0 t1 stall iopid
	local gaps="$PW_RESULTS/transition-held.gaps" sum="$PW_RESULTS/transition-held.io"
	lab_config pathwarden > /dev/null || { tap_not_ok "transition held: lab_config"; return 1; }
	lio_set_state hpms01 active > /dev/null && lio_set_state hpms02 nonoptimized > /dev/null
	wait_until 30 sh -c '[ "$(multipathd show paths raw format "%T %p" | sort | tr "\n" " ")" = "ready 10 ready 10 ready 50 ready 50 " ]'
	map=$(mp_map) dev=$(mp_dev)
	devts=$(node_devts hpms01 | tr '\n' ' ')
	mkdir -p /run/pwlab
	rm -f /run/pwlab/transition-held.stop "$gaps"
	"$PW_BUILD/lab/pwlab-io" -d "$dev" -s /run/pwlab/transition-held.stop \
		-n 2048 -r 100 -l "$gaps" -g 300 > "$sum" 2>&1 &
	iopid=$!
	sleep 3
	for round in 1 2; do
		# The round starts with the load on hpms01's group, so that
		# I/O parks on it; multipathd's checker can take up to its
		# longest interval (20 s) to see the previous round's end.
		if MAP=$map wait_until 40 io_on hpms01; then
			log "transition held $round: I/O on hpms01's group"
		else
			log "transition held $round: I/O still on hpms02's group after 40 s (multipathd did not regroup): the switch back meets dm's queue only"
		fi
		t0=$(cut -d' ' -f1 /proc/uptime)
		lio_set_state hpms01 transitioning > /dev/null
		sleep 8
		# An hpms01 path dm holds active: the daemon took hpms01's
		# disks offline for a moment so that I/O parked on them failed
		# over, and multipathd's checker gives each back at its own
		# pace (a group of failed paths only would not hold the I/O
		# sent to it).  Its group's number changes with the priorities
		# multipathd orders the groups by.
		devt='' pg=''
		for _ in $(seq 40); do
			devt=$(_held_active "$map" "$devts") && break
			sleep 0.5
		done
		[ -n "$devt" ] && pg=$(dm_group_of "$map" "$devt")
		log "transition held $round: I/O sent back to group $pg ($devt): $(dmsetup status "$map")"
		tap_check "transition held $round: I/O sent back to hpms01's group (${pg:-none: no hpms01 path active in dm})" \
			dmsetup message "$map" 0 switch_group "$pg"
		sleep 20
		lio_set_state hpms01 active > /dev/null
		sleep 10
		t1=$(cut -d' ' -f1 /proc/uptime)
		stall=$(awk -v a="$t0" -v b="$t1" '$1 >= a && $1 <= b { if ($2 > x) x = $2 } END { printf "%d", x * 1000 }' "$gaps" 2>/dev/null)
		log "transition held $round: longest I/O $stall ms"
		tap_check "transition held $round: I/O sent back to the group moved again: longest I/O $stall ms <= $TRANS_HELD_MAX_MS ms" \
			test "${stall:-99999}" -le "$TRANS_HELD_MAX_MS"
	done
	io_load_end "transition held" /run/pwlab/transition-held.stop "$iopid" "$sum"
	tap_check "transition held: the daemon moved held I/O again" \
		grep -q 'I/O held again' "$PW_LAB_DAEMON_LOG"
}
trans_held
