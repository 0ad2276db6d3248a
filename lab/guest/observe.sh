# Where the lab's I/O goes, as dm and the sessions say: the observations
# the monitor's and the systemd tests time failovers with.  Sourced by the
# guest bring-up (bash); uses LIO_IQN from target-lio.sh.

map_name() { multipathd show maps raw format "%n" 2>/dev/null | head -n 1; }

# node_devts NODE: major:minor of every disk whose session goes to NODE.
node_devts() {
	local d s
	for d in /sys/block/sd*; do
		s=$(readlink -f "$d" | grep -o 'session[0-9]*' | head -n 1)
		[ -n "$s" ] || continue
		[ "$(cat /sys/class/iscsi_session/$s/targetname)" = "${LIO_IQN[$1]}" ] &&
			cat "$d/dev"
	done
}

# The multipath target's status walked path by path: "GROUP NEXT DEVT"
# per path (with S=1 also "A" or "F", dm's state of the path), NEXT 1
# when GROUP is the one dm sends I/O to now; the status
# starts at field F, and with F 5 (dmsetup's lines for all maps) each line
# begins with the map's name.
_DM_PATHS_AWK='{
	f = F; pfx = ""
	if (F == 5) { pfx = $1; sub(/:$/, "", pfx); pfx = pfx " " }
	f += $f + 1; f += $f + 1; ng = $f; nx = $(f + 1); f += 2
	for (g = 1; g <= ng; g++) {
		f++; f += $f + 1; np = $f; pa = $(f + 1); f += 2
		for (p = 0; p < np; p++) {
			if (S) print pfx g, (g == nx), $f, $(f + 1)
			else print pfx g, (g == nx), $f
			f += 3 + pa
		}
	}
}'
# dm_paths MAP: that walk for one map.
dm_paths() { dmsetup status "$1" | awk -v F=4 "$_DM_PATHS_AWK"; }
# dm_paths_all: "MAP GROUP NEXT DEVT A|F" for every multipath map, one
# dmsetup call (make bench-scale polls all maps with it).
dm_paths_all() {
	dmsetup status --target multipath 2>/dev/null |
		awk -v F=5 -v S=1 "$_DM_PATHS_AWK"
}

# dm_next_devts MAP: the disks of the path group dm sends I/O to now.
dm_next_devts() { dm_paths "$1" | awk '$2 == 1 { print $3 }'; }

# dm_group_of MAP DEVT: the number of the path group holding DEVT.
dm_group_of() { dm_paths "$1" | awk -v d="$2" '$3 == d { print $1; exit }'; }

# io_on NODE: dm's group in use holds only NODE's disks.
io_on() {
	local want got
	want=$(node_devts "$1" | sort | tr '\n' ' ')
	got=$(dm_next_devts "$MAP" | sort | tr '\n' ' ')
	[ -n "$got" ] && [ "$got" = "$want" ]
}

# io_load_end LABEL STOPFILE PID SUMMARY: stop a pwlab-io load started
# with -s STOPFILE (its output in SUMMARY), wait for it and check its last
# line: no I/O error, no mismatch.
io_load_end() {
	local errs
	: > "$2"
	wait "$3"
	log "$1: $(tail -n 1 "$4")"
	errs=$(tail -n 1 "$4" | sed -n 's/.*io_errors=\([0-9]*\) mismatches=\([0-9]*\).*/\1 \2/p')
	tap_check "$1: no I/O error, no mismatch ($(tail -n 1 "$4"))" test "$errs" = "0 0"
}

# time_until SECONDS COMMAND...: like wait_until, polling every 20 ms,
# printing the seconds it took (or nothing on timeout).
time_until() {
	local secs=$1 t0 t
	shift
	t0=$(date +%s.%N)
	while ! "$@" >/dev/null 2>&1; do
		t=$(date +%s.%N)
		awk -v a="$t0" -v b="$t" -v s="$secs" 'BEGIN { exit !(b - a > s) }' && return 1
		sleep 0.02
	done
	awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}

lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

# since_promoted SECONDS COMMAND...: wait for COMMAND, then print how long
# after the promotion's own write (lio_promote's promoted.t) it was true.
since_promoted() {
	local end=$((SECONDS + $1))
	shift
	until "$@" > /dev/null 2>&1; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.05
	done
	awk -v a="$(cat /run/pwlab/promoted.t)" -v b="$EPOCHREALTIME" \
		'BEGIN { printf "%.2f", b - a }'
}
