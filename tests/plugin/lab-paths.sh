# The map as the plugin lab tests see it (tests/plugin/lab-e2e.sh and
# lab-smoke.sh): what multipathd and dm show for each node's paths, waits
# with their times, and a verified load with faults under it.  Sourced
# after bring-up with every lab function loaded; CHECKER, PRIO and WAIT set
# by the caller.

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

hwhandler_alua() { multipathd show maps raw format "%h" | grep -q alua; }
# check_topology: one map of 4 paths at the baseline, the hardware handler
# alua, and multipathd running CHECKER and PRIO on every path with no
# plugin load error.
check_topology() {
	local d c p load_errors
	log "checker $CHECKER, prio $PRIO"
	tap_check "4 paths" test "$(mp_npaths)" -eq 4
	tap_check "1 map" test "$(multipathd show maps raw format '%n' | grep -c .)" -eq 1
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
}

# --- A steady verified write+read load -------------------------------------
uptime_s() { local u _; read -r u _ < /proc/uptime; echo "$u"; }
# max_gap FROM TO: the slowest I/O that started between two uptimes.
max_gap() {
	awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b && $2 > m { m = $2 }
		END { printf "%.2f", m + 0 }' "$PW_RESULTS/io-gaps.log"
}
io_stop=/run/pwlab-io.stop
# load_start: pwlab-io on the map, 100 I/Os per second, every read checked.
load_start() {
	rm -f "$io_stop"
	"$PW_BUILD/lab/pwlab-io" -d "$(mp_dev)" -s "$io_stop" -n 8192 -r 100 \
		-l "$PW_RESULTS/io-gaps.log" -g 100 > "$PW_RESULTS/io.out" 2>&1 &
	io_pid=$!
	sleep 5
	tap_check "load running on $(mp_dev)" kill -0 "$io_pid"
}

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
# Faults both tests put under the load: hpms01's portals silent (dropped,
# no RST) and back; hpms01's paths failed with the I/O on hpms02's.
link_drop() { fault_link_drop hpms01; }
link_back() { fault_link_restore hpms01; }
hpms01_failed() { node_is hpms01 faulty - - failed && node_is hpms02 ready - active; }

io_ended() { ! kill -0 "$io_pid" 2>/dev/null; }
# load_end: stop the load; no I/O error, no mismatch, real work done.
load_end() {
	local io_rc
	: > "$io_stop"
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
}
