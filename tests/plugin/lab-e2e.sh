# End-to-end tests of the whole stack (issue 3), one boot.  Sourced by
# lab/scenarios/e2e.sh after bring-up, with every lab function loaded;
# prints TAP.  Needs the project's plugins installed by 'make install' (rtpg
# checker and prio, multipath.conf.d); PW_E2E_CHECKER=tur runs the same
# assertions against the stock stack (for developing the lab itself).

CHECKER=${PW_E2E_CHECKER:-rtpg}
PRIO=${PW_E2E_PRIO:-rtpg}
WAIT=${PW_E2E_WAIT:-50}		# a check every max_polling_interval (20 s), twice, + margin
E2E_T0=$SECONDS

# --- Observations ----------------------------------------------------------
mp_json() { multipathd show maps json 2>/dev/null; }

# node_is NODE CHK PRI GROUP [PATH_DM]: both of NODE's paths have checker
# state CHK and priority PRI and sit in a path group whose dm state is GROUP
# and which holds no path of the other node; '-' matches anything.
node_is() {
	mp_json | jq -e --arg n "$1" --arg c "$2" --arg p "$3" --arg g "$4" \
		--arg d "${5:--}" '
	def node: .target_wwnn | capture(":(?<n>[^.:]+)\\.vg1$").n;
	[.maps[0].path_groups[] | . as $pg | .paths[] |
	 { node: node, chk: .chk_st, pri: (.pri | tostring), dm: .dm_st,
	   gst: $pg.dm_st, gnodes: ([$pg.paths[] | node] | unique) }]
	| map(select(.node == $n))
	| length == 2 and all(
		($c == "-" or .chk == $c) and ($p == "-" or .pri == $p) and
		($d == "-" or .dm == $d) and
		($g == "-" or (.gst == $g and .gnodes == [$n])))' >/dev/null
}
# dm picks a new path group on the next I/O, not when paths fail or when
# multipathd switches groups (a switch_group message names the group for
# the next I/O; an idle map shows every group enabled until then, as with
# Debian 13's kernel and multipath-tools 0.11.1 after a failback or a
# reload): one direct read shows where I/O goes now.
kick_io() { dd if="$(mp_dev)" of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null; }
baseline() {
	kick_io
	node_is hpms01 ready 50 active && node_is hpms02 ready 10 enabled
}
# For the record when an assertion fails.
show_paths() {
	mp_json | jq -r '.maps[0].path_groups[] | . as $pg | .paths[] |
		"#   \(.dev) \(.target_wwnn | sub(".*:"; "")) chk=\(.chk_st) dm=\(.dm_st) pri=\(.pri) group=\($pg.dm_st)/\($pg.pri)"'
}
node_devs() {
	mp_json | jq -r --arg n "$1" '.maps[0].path_groups[].paths[] |
		select(.target_wwnn | endswith(":" + $n + ".vg1")) | .dev'
}
log_mark() { wc -l < "$MPATHD_LOG"; }
log_since() { tail -n "+$(( $1 + 1 ))" "$MPATHD_LOG"; }

# expect DESC SECONDS COMMAND...: an assertion that waits for a state;
# reports how long it took.
expect() {
	local desc=$1 secs=$2 t0=$SECONDS
	shift 2
	if wait_until "$secs" "$@"; then
		tap_ok "$desc ($((SECONDS - t0)) s)"
	else
		tap_not_ok "$desc (not within ${secs} s)"
		show_paths
		return 1
	fi
}

# --- 1. Topology and plugins ---------------------------------------------
log "e2e: checker $CHECKER, prio $PRIO"
tap_check "4 paths" test "$(mp_npaths)" -eq 4
tap_check "1 map" test "$(multipathd show maps raw format '%n' | grep -c .)" -eq 1
hwhandler_alua() { multipathd show maps raw format "%h" | grep -q alua; }
tap_check "hardware handler alua" hwhandler_alua
expect "hpms01 group active (prio 50), hpms02 group enabled (prio 10)" "$WAIT" baseline
for d in $(mp_paths | awk '{ print $1 }'); do
	c=$(multipathd show paths raw format "%d %c" | awk -v d="$d" '$1 == d { print $2 }')
	tap_check "$d: checker is $CHECKER (multipathd says '$c')" test "$c" = "$CHECKER"
	p=$(grep -E "^.*\| $d: prio = " "$MPATHD_LOG" | tail -n 1 | sed 's/.*prio = \([^ ]*\).*/\1/')
	tap_check "$d: prio is $PRIO (multipathd log says '$p')" test "$p" = "$PRIO"
done
load_errors=$(grep -E "dynamic linking error|not found in /|emergency fallback|Cannot unload|failed to start checker thread" "$MPATHD_LOG")
tap_check "no plugin load error or fallback in the multipathd log" test -z "$load_errors"
[ -n "$load_errors" ] && echo "$load_errors" | head -n 5 | sed 's/^/#   /'

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
uptime_s() { local u _; read -r u _ < /proc/uptime; echo "$u"; }
# max_gap FROM TO: the slowest I/O that started between two uptimes.
max_gap() {
	awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b && $2 > m { m = $2 }
		END { printf "%.2f", m + 0 }' "$PW_RESULTS/io-gaps.log"
}
io_stop=/run/pwlab-io.stop
rm -f "$io_stop"
"$PW_BUILD/lab/pwlab-io" -d "$(mp_dev)" -s "$io_stop" -n 8192 -r 100 \
	-l "$PW_RESULTS/io-gaps.log" -g 100 > "$PW_RESULTS/io.out" 2>&1 &
io_pid=$!
sleep 5
tap_check "load running on $(mp_dev)" kill -0 "$io_pid"

# under_load NAME INJECT DETECT RESTORE: inject a fault, wait until the map
# shows it, hold 5 s, undo it, wait for the baseline; record the I/O stall.
# INJECT, DETECT and RESTORE are functions.
under_load() {
	local name=$1 t0 t1
	t0=$(uptime_s)
	"$2"
	expect "$name: detected" 90 "$3"
	sleep 5
	"$4"
	expect "$name: undone, back to the baseline" 120 baseline
	t1=$(uptime_s)
	log "$name: slowest I/O while it lasted: $(max_gap "$t0" "$t1") s"
	tap_check "$name: load still running" kill -0 "$io_pid"
}
standby_on() { lio_set_state hpms01 standby; }
ao_on() { lio_set_state hpms01 ao; }
link_drop() { fault_link_drop hpms01; }
link_back() { fault_link_restore hpms01; }
node_down() { fault_node_down hpms01; }
node_up() { fault_node_up hpms01; }
standby_loaded() { node_is hpms01 ghost - enabled && node_is hpms02 ready - active; }
hpms01_failed() { node_is hpms01 faulty - - failed && node_is hpms02 ready - active; }
under_load "standby on hpms01 under load" standby_on standby_loaded ao_on
under_load "silent link loss of hpms01 under load" link_drop hpms01_failed \
	link_back
under_load "hpms01 down and back under load" node_down hpms01_failed node_up
: > "$io_stop"
io_ended() { ! kill -0 "$io_pid" 2>/dev/null; }
if wait_until 180 io_ended; then
	wait "$io_pid"
	io_rc=$?
else
	kill "$io_pid"
	io_rc=timeout
fi
sed 's/^/# /' "$PW_RESULTS/io.out"
tap_check "no I/O error and every block reads back as written (pwlab-io exit $io_rc)" \
	test "$io_rc" = 0
tap_check "the load did real work" \
	test "$(sed -n 's/.* writes=\([0-9]*\) .*/\1/p' "$PW_RESULTS/io.out")" -gt 1000

# --- 4. Idle SCSI commands per path per check: ours vs stock ---------------
# Commands come from LIO's per-LUN in_cmds (one per node: both of a node's
# paths share its target port); checks from multipathd's own log (-v3
# "<dev>: <checker> state = <s>", pending ones left out).
# count_checks SECONDS: path checks multipathd made meanwhile, all paths.
# Its next-check countdown (%C, "tick/interval") restarts at every check;
# sampled twice a second, each restart is one check.  The log cannot count
# them: from 0.11 on, -v3 logs a checker's state only when it changes.
count_checks() {
	local end=$(( $(date +%s) + $1 ))
	while [ "$(date +%s)" -lt "$end" ]; do
		multipathd show paths raw format "%d %C" 2>/dev/null
		sleep 0.5
	done | awk '{ split($NF, f, "/"); t = f[1] + 0
		if (($1 in last) && t > last[$1]) n++; last[$1] = t }
		END { print n + 0 }'
}
measure_idle() {
	local label=$1 secs=60 a1 a2 b1 b2 checks cmds
	wait_until 60 baseline
	sleep 5
	a1=$(lio_in_cmds hpms01); b1=$(lio_in_cmds hpms02)
	checks=$(count_checks "$secs")
	a2=$(lio_in_cmds hpms01); b2=$(lio_in_cmds hpms02)
	cmds=$(( a2 - a1 + b2 - b1 ))
	IDLE_CMDS=$cmds IDLE_CHECKS=$checks
	IDLE_PER_CHECK=$(awk -v c="$cmds" -v k="$checks" 'BEGIN { if (k) printf "%.2f", c / k; else print "nan" }')
	log "idle $secs s, $label: $cmds SCSI commands ($((a2 - a1)) hpms01, $((b2 - b1)) hpms02), $checks path checks: $IDLE_PER_CHECK commands per path per check"
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
