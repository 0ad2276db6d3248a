# End-to-end tests of the whole stack (issue 3), one boot.  Sourced by
# lab/scenarios/e2e.sh after bring-up, with every lab function loaded;
# prints TAP.  Needs the project's plugins installed by 'make install' (rtpg
# checker and prio, multipath.conf.d); PW_E2E_CHECKER=tur runs the same
# assertions against the stock stack (for developing the lab itself).

CHECKER=${PW_E2E_CHECKER:-rtpg}
PRIO=${PW_E2E_PRIO:-rtpg}
WAIT=${PW_E2E_WAIT:-50}		# a check every max_polling_interval (20 s), twice, + margin
E2E_T0=$SECONDS

. "$PW_TREE/tests/plugin/lab-paths.sh"

# --- 1. Topology and plugins ---------------------------------------------
check_topology

# --- 2. Each ALUA state as the checker and prio report it -----------------
log "ALUA states on the hpms01 group (idle)"
standby_seen() { kick_io; node_is hpms01 ghost 3 enabled && node_is hpms02 ready 10 active; }
lio_set_state hpms01 standby
expect "standby: hpms01 paths ghost, prio 3; hpms02 group active" "$WAIT" \
	standby_seen
lio_set_state hpms01 ao
expect "AO again: hpms01 group active again (failback)" "$WAIT" baseline

unavailable_seen() {
	node_is hpms01 faulty - - failed && kick_io && node_is hpms02 ready 10 active
}
lio_set_state hpms01 unavailable
expect "unavailable: hpms01 paths faulty; I/O goes to the hpms02 group" "$WAIT" \
	unavailable_seen
lio_set_state hpms01 ao
expect "AO again after unavailable: back to hpms01" "$WAIT" baseline

mark=$(log_mark)
devs=$(node_devs hpms01)
# The failback's reload and path events sent the map change events, and
# udev probes the map (blkid) when it gets to them, seconds later under
# TCG: a probe that lands after the transition has begun parks on hpms01
# (below), and multipathd's next reload waits for it.  A CI run at 9d76a49:
# udev still handling the failback's events 2 s later, a read on hpms01
# just after the state changed, then the reload at the switch held
# multipathd 62 s and every "show maps" timed out.  udev first.
udevadm settle --timeout=30
lio_set_state hpms01 transitioning
# Held in transition: ghost, never down, never pending (multipathd keeps a
# pending path's prio, so the group would keep the I/O); prio 1 puts the
# hpms02 group first.  No I/O until dm's next group is hpms02's: a read
# sent to the hpms01 group before multipathd switches groups meets NOT
# READY 04/0A and is retried on that path for up to ~180 s (what the
# daemon's parked-I/O handling is for; the plugins alone cannot end it).
MAP=$(map_name)
transitioning_seen() {
	node_is hpms01 ghost 1 - && io_on hpms02 || return 1
	kick_io
	node_is hpms01 ghost 1 enabled && node_is hpms02 ready 10 active
}
expect "transitioning: hpms01 paths ghost, prio 1; hpms02 group active" "$WAIT" \
	transitioning_seen
downs=$(log_since "$mark" | grep -cE "\| ($(echo $devs | tr ' ' '|')): $CHECKER state = down")
tap_check "transitioning: no hpms01 path checked down ($downs)" test "$downs" -eq 0
hpms01_not_failed() { node_is hpms01 - - - active && ! node_is hpms01 faulty - -; }
tap_check "transitioning: no hpms01 path failed in the map" \
	hpms01_not_failed
lio_set_state hpms01 ao
expect "AO again after transitioning: baseline" "$WAIT" baseline

hpms02_promoted() { kick_io; node_is hpms02 ready 50 active && node_is hpms01 ready 10 enabled; }
fault_promote hpms02
expect "hpms02 promoted: hpms02 paths prio 50 in the active group, hpms01 10" "$WAIT" \
	hpms02_promoted
fault_promote hpms01
expect "hpms01 promoted back: baseline" "$WAIT" baseline

# --- 3. Faults under a steady verified write+read load ---------------------
load_start
standby_on() { lio_set_state hpms01 standby; }
ao_on() { lio_set_state hpms01 ao; }
node_down() { fault_node_down hpms01; }
node_up() { fault_node_up hpms01; }
standby_loaded() { node_is hpms01 ghost - enabled && node_is hpms02 ready - active; }
under_load "standby on hpms01 under load" standby_on standby_loaded ao_on
under_load "silent link loss of hpms01 under load" link_drop hpms01_failed \
	link_back
under_load "hpms01 down and back under load" node_down hpms01_failed node_up
load_end

# --- 4. Idle SCSI commands per path per check: ours vs stock ---------------
# Commands come from LIO's per-LUN in_cmds (one per node: both of a node's
# paths share its target port); checks from multipathd's own log, at -v4
# for the measurement: from 0.11 on, -v3 logs a checker's verdict only
# when it changes, -v4 every call ("<dev>: <checker> state = <s>"; not
# "<dev>: path state = <s>", the disk's sysfs state).  A call that left
# its check pending is counted when the check completes.  (Counting the
# restarts of the next-check countdown, %C, sampled twice a second, found
# 44 checks for 48 commands in one run; the log of the next showed one
# completed check per command, 48 for 48.)
# checks_between FROM TO: completed checker calls in the log's lines
# FROM+1..TO.
checks_between() {
	sed -n "$(($1 + 1)),$2p" "$MPATHD_LOG" |
		grep -E '\| sd[a-z]+: [a-z0-9_]+ state = [a-z]+$' |
		grep -Evc ': path state = |state = pending$'
}
# disk_ios: reads and writes the block layer completed on the map's SCSI
# disks (/sys/block/sdX/stat; SG_IO pass-through is not counted there):
# what udev's probes or anyone else read, which LIO counts as commands too.
disk_ios() {
	local d n=0 r w
	for d in $(mp_paths | awk '{ print $1 }'); do
		read -r r _ _ _ w _ < "/sys/block/$d/stat" && n=$(( n + r + w ))
	done
	echo "$n"
}
measure_idle() {
	local label=$1 secs=60 a1 a2 b1 b2 i1 i2 l1 l2 checks cmds
	ini_multipathd_verbosity 4 || log "idle: multipathd at -v4 failed"
	wait_until 60 baseline
	sleep 5
	l1=$(wc -l < "$MPATHD_LOG")
	a1=$(lio_in_cmds hpms01); b1=$(lio_in_cmds hpms02); i1=$(disk_ios)
	sleep "$secs"
	a2=$(lio_in_cmds hpms01); b2=$(lio_in_cmds hpms02); i2=$(disk_ios)
	l2=$(wc -l < "$MPATHD_LOG")
	checks=$(checks_between "$l1" "$l2")
	cmds=$(( a2 - a1 + b2 - b1 ))
	IDLE_CMDS=$cmds IDLE_CHECKS=$checks IDLE_IOS=$(( i2 - i1 ))
	IDLE_PER_CHECK=$(awk -v c="$cmds" -v k="$checks" 'BEGIN { if (k) printf "%.2f", c / k; else print "nan" }')
	log "idle $secs s, $label: $cmds SCSI commands ($((a2 - a1)) hpms01, $((b2 - b1)) hpms02; $IDLE_IOS of them block reads or writes, not the checker's), $checks path checks: $IDLE_PER_CHECK commands per path per check"
}
measure_idle "$CHECKER+$PRIO"
ours_cmds=$IDLE_CMDS ours_checks=$IDLE_CHECKS ours=$IDLE_PER_CHECK
tap_check "idle: $CHECKER checks seen ($ours_checks in 60 s)" test "$ours_checks" -gt 0

log "switching to stock tur+alua (multipathd restart)"
ini_multipathd_stop
ini_config_stock
ini_multipathd_start
map_back() { ini_wait_map 5 && baseline; }
expect "stock config: map back with 4 paths" 90 map_back
measure_idle "tur+alua"
stock_cmds=$IDLE_CMDS stock_checks=$IDLE_CHECKS stock=$IDLE_PER_CHECK
tap_check "idle: tur checks seen ($stock_checks in 60 s)" test "$stock_checks" -gt 0
echo "# idle commands per path per check: $CHECKER+$PRIO $ours ($ours_cmds cmds / $ours_checks checks), stock tur+alua $stock ($stock_cmds cmds / $stock_checks checks)"
{
	echo "config commands checks per_check"
	echo "$CHECKER+$PRIO $ours_cmds $ours_checks $ours"
	echo "tur+alua $stock_cmds $stock_checks $stock"
} > "$PW_RESULTS/idle-commands.txt"
if [ "$CHECKER" = rtpg ]; then
	tap_check "idle: $CHECKER+$PRIO costs at most one command per path per check ($ours)" \
		awk -v x="$ours" 'BEGIN { exit !(x + 0 > 0 && x + 0 <= 1.05) }'
fi
log "e2e scenario took $((SECONDS - E2E_T0)) s after bring-up"
