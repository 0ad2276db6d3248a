# make bench-scale (issue [scale]), not in make check: the lab with
# PW_LAB_LUNS LUNs (LAB_LUNS), 4 paths each, one boot.  For stock and for
# pathwarden: a planned switchover (hpms02 promoted through the agent, all
# LUNs in one run) and its way back, each map timed from the promotion's
# first write (and from the agent's end: with N LUNs its run takes a
# while) to the moment dm's status names a group of the new master's
# paths only, under a verified load on every map (pwlab-io, 160 I/Os per
# second spread over the maps, at least 2 each: the kernel hears of a
# state change from the next command on a path); then the cost of
# `pathwarden status` over every real path, and the daemon's CPU and RSS
# at idle.  A map counts as switched when dm's next group is the new
# master's, which is where its next I/O goes; not an I/O seen completing
# there, as make demo times it.
# Sourced by lab/scenarios/scale.sh; prints TAP and the records, which it
# writes to $PW_RESULTS/records.jsonl (build/lab/results/scale/ on the
# host): one per scenario and config, one of each config's load, one of
# the costs.

SCALE_OUT=$PW_RESULTS
SCALE_REC=$SCALE_OUT/records.jsonl
SCALE_DEADLINE=${PW_SCALE_DEADLINE:-120}
# a node restored may come back as new disks, 2N of them to add
SCALE_RESTORE_DEADLINE=${PW_SCALE_RESTORE_DEADLINE:-$((120 + 3 * LIO_LUNS))}
# switchovers and failbacks per configuration (the target is a p50 of 5),
# link losses and restorations
SCALE_REPS=${PW_SCALE_REPS:-5}
SCALE_LOSS_REPS=${PW_SCALE_LOSS_REPS:-1}
# the 1-LUN link-loss stall the scale's is held to (+200 ms): make demo's
# p50 on trixie (docs/tuning.md), or this bench's own at LAB_LUNS=1
SCALE_REF_STALL_MS=${PW_SCALE_REF_STALL_MS:-3130}
# pathwarden login waits for every disk in a map (iscsi-timeout, 10 s by
# default); 4N disks under TCG take longer (16 LUNs: over 10 s before
# multipathd answers; 64 LUNs: 244 of 256 disks in maps after 350 s
# once, multipathd "waiting on creation uevent" while udevd ran behind).
# A bound, not a wait: a quick login costs nothing more.  600 s is the
# most pathwarden.conf takes.
PW_LAB_ISCSI_TIMEOUT=${PW_LAB_ISCSI_TIMEOUT:-$((30 + 10 * LIO_LUNS > 600 ? 600 : 30 + 10 * LIO_LUNS))}
mkdir -p "$SCALE_OUT"
: > "$SCALE_REC"

# "devt=node ..." for every disk, from sysfs without a process per disk
# (the node-restored scenario reads it on every poll: a re-login makes new
# disks): a session's disks sit under its device in sysfs.
scale_devt_map() {
	local s t n d devt
	SCALE_DEVTS=
	for s in /sys/class/iscsi_session/session*; do
		read -r t < "$s/targetname" 2>/dev/null || continue
		for n in $LIO_NODES; do
			[ "$t" = "${LIO_IQN[$n]}" ] || continue
			for d in "$s"/device/target*/*:*:*:*/block/*/dev; do
				[ -e "$d" ] && read -r devt < "$d" &&
					SCALE_DEVTS="$SCALE_DEVTS $devt=$n"
			done
		done
	done
}
scale_ndevts() { wc -w <<< "$SCALE_DEVTS"; }

# scale_on NODE: the names of the maps whose next group's paths dm sends
# I/O to (not failed) are only NODE's disks, from one dmsetup call
# (observe.sh's walk, with each path's state): a group of both nodes'
# paths whose old master's are failed in dm counts, as its I/O goes to
# the new master alone.
scale_on() {
	dm_paths_all | awk -v want="$1" -v devts="$SCALE_DEVTS" '
		BEGIN {
			n = split(devts, kv, " ")
			for (i = 1; i <= n; i++) { split(kv[i], a, "="); node[a[1]] = a[2] }
		}
		$3 == 1 && $5 == "A" { if (node[$4] == want) ok[$1] = 1; else bad[$1] = 1 }
		END { for (m in ok) if (!(m in bad)) print m }'
}

# scale_load_start TAG: pwlab-io on every map; scale_load_stop TAG stops
# them, adds the load's figures (I/O errors, mismatches, the slowest I/O
# of any map: the stall) to the scenario's record in SCALE_CUR and writes
# it.  One load per scenario run, so each record's stall is its own.
scale_load_start() {
	local m i=0 rate=$((160 / LIO_LUNS))
	[ "$rate" -ge 2 ] || rate=2
	SCALE_STOP=/run/pwlab/scale-io.stop
	mkdir -p /run/pwlab
	rm -f "$SCALE_STOP" "$SCALE_OUT"/io-"$1"-*.txt
	SCALE_IO_PIDS=()
	for m in $(dmsetup ls --target multipath | awk '{ print $1 }'); do
		"$PW_BUILD/lab/pwlab-io" -d "/dev/mapper/$m" -s "$SCALE_STOP" \
			-n 256 -r "$rate" > "$SCALE_OUT/io-$1-$i.txt" 2>&1 &
		SCALE_IO_PIDS+=($!)
		i=$((i + 1))
	done
	SCALE_CUR='{}'
	log "scale: $1: load on $i maps, $rate I/Os per second each"
}
scale_load_stop() {
	local p bad=0 load
	touch "$SCALE_STOP"
	for p in "${SCALE_IO_PIDS[@]}"; do wait "$p" || bad=$((bad + 1)); done
	load=$(cat "$SCALE_OUT"/io-"$1"-*.txt 2>/dev/null | awk -v bad="$bad" '
		/^pwlab-io: writes=/ {
			n++
			for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			e += v["io_errors"]; m += v["mismatches"]
			if (v["max_op_ms"] + 0 > mx) mx = v["max_op_ms"] + 0
		}
		END {
			printf "{\"maps_loaded\":%d,\"loads_failed\":%d,\"io_errors\":%d,\"mismatches\":%d,\"stall_ms_max\":%d}\n", n, bad, e, m, mx
		}')
	jq -cn --argjson a "$SCALE_CUR" --argjson b "$load" '$a + $b' >> "$SCALE_REC"
	echo "# scale: $1: $load"
	# every load exited 0 (pwlab-io exits 1 on an error or a mismatch),
	# and every map's summary says none
	[ "$bad" -eq 0 ] && echo "$load" | jq -e --argjson n "$LIO_LUNS" \
		'.io_errors == 0 and .mismatches == 0 and .maps_loaded == $n' > /dev/null
}

scale_nmaps() { dmsetup ls --target multipath 2>/dev/null | grep -vc '^No devices'; }

# scale_wait_all NODE SECONDS: every map on NODE (the baseline).
scale_all_on() { [ "$(scale_on "$1" | wc -l)" -eq "$LIO_LUNS" ]; }
scale_wait_all() { wait_until "$2" scale_all_on "$1"; }

# The guest's busy and total CPU ticks (all CPUs) from /proc/stat.
scale_cpu_ticks() {
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i
		print t - $5 - $6, t; exit }' /proc/stat
}
# A process's user+system ticks; 0 when it is gone.
scale_pid_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# scale_in_cmds: SCSI commands every LUN of both nodes has received so far
# (LIO's in_cmds per LUN; configfs caches a value per open file, so each
# is opened anew).
scale_in_cmds() {
	local n f v s=0
	for n in $LIO_NODES; do
		for f in "${LIO_TPG[$n]}"/lun/lun_*/statistics/scsi_tgt_port/in_cmds; do
			read -r v < "$f" && s=$((s + v))
		done
	done
	echo "$s"
}
# scale_uevent_summary < udevadm monitor --kernel --property output: the
# uevents counted by action, subsystem, device kind (sd, dm), SDEV_UA,
# DM_ACTION and whether written to a uevent file (SYNTH_UUID: a udev
# rule's write, as 60-block.rules forwards a SCSI device's change to its
# disk, udevd's watch of a device closed after a write, or a trigger).
scale_uevent_summary() {
	awk 'BEGIN { RS = ""; FS = "\n" }
	{
		a = s = n = x = ""
		for (i = 1; i <= NF; i++) {
			k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v)
			if (k == "ACTION") a = v
			else if (k == "SUBSYSTEM") s = v
			else if (k == "DEVNAME") n = v
			else if (k == "SDEV_UA" || k == "DM_ACTION") x = x " " v
			else if (k == "SYNTH_UUID") x = x " synthetic"
		}
		if (s == "")
			next
		sub(/^\/dev\//, "", n)
		n = n ~ /^sd/ ? " sd" : n ~ /^dm-/ ? " dm" : n == "" ? "" : " " n
		c[a " " s n x]++
		t++
	}
	END {
		printf "%d", t
		for (k in c)
			printf "; %s %d", k, c[k]
		print ""
	}'
}
# scale_alua_counts: the ALUA change uevents the daemon has heard of, from
# its metrics ("?" when it does not answer).
scale_alua_counts() {
	curl -sf --max-time 5 "http://$LAB_METRICS/metrics" 2>/dev/null |
		awk '$1 == "pathwarden_alua_events_total" { a = $2 }
		     END { print (a == "" ? "?" : a) }'
}
# scale_idle_cpu PID SECONDS: its CPU over the next SECONDS, in % of a core.
scale_idle_cpu() {
	local c0 c1
	c0=$(scale_pid_ticks "$1")
	sleep "$2"
	c1=$(scale_pid_ticks "$1")
	awk -v a="$c0" -v b="$c1" -v t="$(getconf CLK_TCK)" -v s="$2" \
		'BEGIN { printf "%.2f", (b - a) / t / s * 100 }'
}

# scale_run CONFIG SCENARIO REP NODE CMD...: CMD (a promotion or a fault)
# in the background, then poll dm until every map is on NODE or the
# deadline; the run's record in SCALE_CUR (scale_load_stop adds the
# load's figures).  Times count from CMD's start; for a promotion from
# its first write (promoted.t, before the agent runs) and from its end
# (promoted-end.t: the agent has set every LUN's group on NODE, and the
# peer's view of it): with N LUNs the agent's own run is part of the
# first figure.  SCALE_REMAP=1: the disks are read again on every poll
# (a node restored may come back as new disks).
scale_run() {
	local config=$1 scenario=$2 rep=$3 node=$4 t0 t1 now name first='' last='' k=0
	local last_end='' promote_ms='' busy0 total0 busy1 total1 pid d0=0 d1=0 start
	local deadline=$SCALE_DEADLINE
	local -A seen=()
	shift 4
	[ "${SCALE_REMAP:-0}" = 0 ] || deadline=$SCALE_RESTORE_DEADLINE
	rm -f /run/pwlab/promoted.t /run/pwlab/promoted-end.t
	pid=$(lab_daemon_pid)
	[ -z "$pid" ] || d0=$(scale_pid_ticks "$pid")
	read -r busy0 total0 < <(scale_cpu_ticks)
	start=$EPOCHREALTIME
	"$@" > "$SCALE_OUT/cmd-$config-$scenario-$rep.log" 2>&1 &
	local cmd=$!
	local end=$((SECONDS + deadline))
	while [ "$k" -lt "$LIO_LUNS" ] && [ "$SECONDS" -lt "$end" ]; do
		now=$EPOCHREALTIME
		[ "${SCALE_REMAP:-0}" = 0 ] || scale_devt_map
		for name in $(scale_on "$node"); do
			[ -n "${seen[$name]:-}" ] && continue
			seen[$name]=$now
			k=$((k + 1))
		done
		sleep 0.05
	done
	wait "$cmd"
	read -r busy1 total1 < <(scale_cpu_ticks)
	[ -z "$pid" ] || d1=$(scale_pid_ticks "$pid")
	t0=$(cat /run/pwlab/promoted.t 2>/dev/null || echo "$start")
	t1=$(cat /run/pwlab/promoted-end.t 2>/dev/null)
	if [ "$k" -gt 0 ]; then
		read -r first last last_end promote_ms < <(for name in "${!seen[@]}"; do
			echo "${seen[$name]}"; done | sort -n |
			awk -v t0="$t0" -v t1="${t1:-0}" 'NR == 1 { f = $1 } { l = $1 }
				END {
					e = p = ""
					if (t1 > 0) {
						e = sprintf("%.0f", (l - t1) * 1000)
						p = sprintf("%.0f", (t1 - t0) * 1000)
					}
					printf "%.0f %.0f %s %s\n", (f - t0) * 1000, (l - t0) * 1000, e, p
				}')
	fi
	local busy cpu_pw
	busy=$(awk -v a="$busy0" -v b="$busy1" -v c="$total0" -v d="$total1" \
		'BEGIN { x = 0; if (d > c) x = (b - a) / (d - c) * 100; printf "%.0f", x }')
	cpu_pw=$(awk -v a="$d0" -v b="$d1" -v c="$total0" -v d="$total1" \
		-v n="$(nproc)" 'BEGIN { x = 0; if (d > c) x = (b - a) / (d - c) * n * 100; printf "%.1f", x }')
	SCALE_CUR=$(jq -cn --argjson luns "$LIO_LUNS" --arg config "$config" \
		--arg scenario "$scenario" --argjson rep "$rep" --argjson switched "$k" \
		--arg first "$first" --arg last "$last" --arg last_end "$last_end" \
		--arg promote "$promote_ms" --argjson busy "$busy" \
		--arg cpu "$([ -n "$pid" ] && echo "$cpu_pw")" --arg node "$node" \
		'def num: if . == "" then null else tonumber end;
		 { luns: $luns, config: $config, scenario: $scenario, rep: $rep,
		   to: $node, maps_switched: $switched,
		   first_map_switch_ms: ($first | num),
		   last_map_switch_ms: (if $switched == $luns then ($last | num) else null end),
		   last_map_after_promote_end_ms: (if $switched == $luns then ($last_end | num) else null end),
		   promote_ms: ($promote | num),
		   guest_cpu_busy_pct: $busy,
		   daemon_cpu_pct_of_a_core: ($cpu | num),
		   seen: "dm next group, under load" }')
	log "scale: $config $scenario $rep to $node: $k of $LIO_LUNS maps," \
		"first ${first:-none} ms, last ${last:-none} ms after the start" \
		"(${last_end:-?} ms after the agent ended; it took ${promote_ms:-?} ms);" \
		"guest CPU ${busy} % busy${pid:+, the daemon ${cpu_pw} % of a core}"
	[ "$k" -eq "$LIO_LUNS" ]
}

# scale_scenario CONFIG SCENARIO REP NODE CMD...: one run under its own
# load (3 s under way first), its record written; pathwarden's runs are
# checks, stock's misses are its figures (the record says how many maps).
scale_scenario() {
	local config=$1 scenario=$2 rep=$3 node=$4 ok=0
	scale_load_start "$config-$scenario-$rep"
	sleep 3
	scale_run "$@" || ok=1
	if [ "$config" = pathwarden ]; then
		if [ "$ok" -eq 0 ]; then
			tap_ok "scale: pathwarden $scenario $rep: every map on $node"
		else
			tap_not_ok "scale: pathwarden $scenario $rep: every map on $node"
		fi
	fi
	tap_check "scale: $config $scenario $rep: the load on every map: no I/O error, no mismatch" \
		scale_load_stop "$config-$scenario-$rep"
}

log "scale: $LIO_LUNS LUNs, $(scale_nmaps) maps, $(mp_npaths) paths; $SCALE_REPS switchovers and failbacks, $SCALE_LOSS_REPS link losses and node restorations per configuration"
tap_check "scale: $LIO_LUNS maps" [ "$(scale_nmaps)" -eq "$LIO_LUNS" ]
tap_check "scale: $((4 * LIO_LUNS)) paths in maps" [ "$(mp_npaths)" -eq $((4 * LIO_LUNS)) ]

# scale_fresh_maps: the last configuration's maps gone before the next
# one logs in.  lab_config keeps them, pathless, across the logout; at 64
# LUNs, after the link loss and its restoration, stock's multipathd then
# failed to add maps by uevent ("ev_add_map failed", hundreds of times)
# and had not all 256 paths in maps 10 minutes later.  A host switching
# configurations would start from none either.
scale_fresh_maps() {
	_lab_daemon_stop && ini_multipathd_stop && _lab_logout_all &&
		multipath -F > /dev/null 2>&1
	log "scale: $(scale_nmaps) maps left before the next configuration"
}

for config in pathwarden stock; do
	[ "$config" = pathwarden ] || scale_fresh_maps
	t=$EPOCHREALTIME
	if ! lab_config "$config" > "$SCALE_OUT/lab-config-$config.log" 2>&1; then
		tap_not_ok "scale: lab_config $config (see lab-config-$config.log)"
		continue
	fi
	log "scale: lab_config $config took $(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
	scale_devt_map
	tap_check "scale: $config: $((4 * LIO_LUNS)) disks read from sysfs" \
		[ "$(scale_ndevts)" -eq $((4 * LIO_LUNS)) ]
	if ! scale_wait_all hpms01 "$SCALE_DEADLINE"; then
		tap_not_ok "scale: $config: every map on hpms01 at the baseline ($(scale_on hpms01 | wc -l) of $LIO_LUNS)"
		continue
	fi
	for rep in $(seq 1 "$SCALE_REPS"); do
		scale_scenario "$config" switchover "$rep" hpms02 fault_promote hpms02
		scale_scenario "$config" failback "$rep" hpms01 fault_promote hpms01
		[ "$config" = pathwarden ] || scale_wait_all hpms01 "$SCALE_DEADLINE" || :
	done
	# multipathd's own cost at idle in this configuration (before the
	# link loss: after a restoration its checks of the paths it failed
	# come every polling_interval, and stock's SCSI commands measured
	# 24 a path and minute at 16 LUNs, not 3), the switches
	# settled (40 s: at 64 LUNs a reload of every map after the
	# failback takes tens of seconds), and the SCSI commands it sends
	# meanwhile, per path and minute (the load is stopped; they are
	# multipathd's and, with pathwarden, the daemon's, whose group watch
	# and ALUA re-looks send RTPGs too).  Per check needs the checks
	# counted (multipathd at -v4, as lab-e2e does at one LUN): the
	# interval multipathd uses is its own (it grows on stable paths).
	sleep 40
	# and udevd's queue drained: each unit attention of the switches is
	# forwarded to its disks by 60-block.rules and each disk asked by
	# INQUIRY; at 16 LUNs that queue ran a minute behind, and a window
	# taken inside it measures udevd's backlog, not the checker
	t=$EPOCHREALTIME
	settled=true
	udevadm settle --timeout=300 || settled=false
	settle_ms=$(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
	if $settled; then
		log "scale: $config: udevd's queue drained $settle_ms ms after the 40 s wait"
	else
		log "scale: $config: udevd's queue not drained in 300 s (the window below is taken inside it)"
	fi
	mpid=$(pgrep -o -x multipathd)
	if [ -n "$mpid" ]; then
		# what reached multipathd meanwhile: the kernel's uevents
		# (udev's rules and multipathd act on each), and the
		# daemon's count of ALUA changes
		udevadm monitor --kernel --property --subsystem-match=block \
			--subsystem-match=scsi > "$SCALE_OUT/idle-uevents-$config.txt" 2>&1 &
		upid=$!
		ua0=$(scale_alua_counts)
		cmd0=$(scale_in_cmds)
		mcpu=$(scale_idle_cpu "$mpid" 30)
		cmd1=$(scale_in_cmds)
		ua1=$(scale_alua_counts)
		kill "$upid" 2>/dev/null
		wait "$upid" 2>/dev/null
		log "scale: $config: kernel uevents at idle: $(scale_uevent_summary < "$SCALE_OUT/idle-uevents-$config.txt")"
		[ "$config" != pathwarden ] ||
			log "scale: $config: the ALUA changes the daemon had heard of, before and after: $ua0 / $ua1"
		per=$(awk -v a="$cmd0" -v b="$cmd1" -v p=$((4 * LIO_LUNS)) \
			'BEGIN { printf "%.2f", (b - a) / p * 2 }')
		log "scale: $config: multipathd at idle: $mcpu % of a core over 30 s ($((4 * LIO_LUNS)) paths); $((cmd1 - cmd0)) SCSI commands: $per per path per minute"
		jq -cn --argjson luns "$LIO_LUNS" --arg c "$config" --argjson cpu "$mcpu" \
			--argjson cmds "$((cmd1 - cmd0))" --argjson per "$per" \
			--argjson settle "$settle_ms" --argjson settled "$settled" \
			'{ luns: $luns, config: $c, scenario: "multipathd-idle",
			   multipathd_idle_cpu_pct: $cpu, idle_scsi_cmds_30s: $cmds,
			   scsi_cmds_per_path_per_min: $per,
			   udev_settle_ms: $settle, udev_settled: $settled }' >> "$SCALE_REC"
	fi
	# hpms01 (optimized) loses its links without a word: the stall, and
	# every map on hpms02's paths; then its links come back: every map on
	# hpms01's again (new disks where the daemon logged in anew)
	for rep in $(seq 1 "$SCALE_LOSS_REPS"); do
		scale_wait_all hpms01 "$SCALE_DEADLINE" || :
		scale_scenario "$config" link-loss "$rep" hpms02 fault_link_drop hpms01
		SCALE_REMAP=1 scale_scenario "$config" node-restored "$rep" hpms01 \
			fault_link_restore hpms01
		scale_devt_map
	done
done

# The costs at this N, in the pathwarden configuration.
scale_fresh_maps
lab_config pathwarden > "$SCALE_OUT/lab-config-pathwarden-2.log" 2>&1 ||
	log "scale: lab_config pathwarden failed (costs below may be missing)"
# scale_best_ms CMD...: CMD five times, output to $SCALE_OUT/best.out;
# prints the best wall time and all five, in ms.
scale_best_ms() {
	local i t ms best='' all=''
	for i in 1 2 3 4 5; do
		t=$EPOCHREALTIME
		"$@" > "$SCALE_OUT/best.out" 2>/dev/null
		ms=$(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
		all="$all $ms"
		{ [ -z "$best" ] || [ "$ms" -lt "$best" ]; } && best=$ms
	done
	echo "$best$all"
}
# status --json whole, then its parts: the program's start and its
# configuration alone (-n), and everything but the RTPGs (--no-rtpg:
# multipathd's answer, sysfs, dm's status of every map)
read -r best all < <(scale_best_ms pathwarden -c "$PW_LAB_CONF" status --json)
cp "$SCALE_OUT/best.out" "$SCALE_OUT/status.json"
log "scale: pathwarden status --json over $((4 * LIO_LUNS)) paths: best $best ms (all: $all)"
read -r start_ms all < <(scale_best_ms pathwarden -c "$PW_LAB_CONF" -n)
log "scale: of which the start (pathwarden -n): best $start_ms ms (all: $all)"
read -r nortpg_ms all < <(scale_best_ms pathwarden -c "$PW_LAB_CONF" --no-rtpg status --json)
log "scale: and without the RTPGs (status --json --no-rtpg): best $nortpg_ms ms (all: $all)"
tap_check "scale: status --json lists every map" \
	[ "$(jq '.maps | length' "$SCALE_OUT/status.json" 2>/dev/null || echo 0)" -eq "$LIO_LUNS" ]
pid=$(lab_daemon_pid)
if [ -n "$pid" ]; then
	# idle: not the first seconds of a daemon just started and asked
	sleep 20
	cpu=$(scale_idle_cpu "$pid" 30)
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	log "scale: daemon at idle: CPU $cpu % of a core over 30 s, RSS $rss KiB"
	jq -cn --argjson luns "$LIO_LUNS" --argjson best "${best:-null}" \
		--argjson start "${start_ms:-null}" --argjson nortpg "${nortpg_ms:-null}" \
		--argjson cpu "$cpu" --argjson rss "$rss" \
		'{ luns: $luns, config: "pathwarden", scenario: "cost",
		   status_json_ms_best: $best, start_ms_best: $start,
		   status_json_no_rtpg_ms_best: $nortpg, daemon_idle_cpu_pct: $cpu,
		   daemon_rss_kib: $rss }' >> "$SCALE_REC"
else
	tap_not_ok "scale: the pathwarden daemon runs"
fi
tap_check "scale: records written" test -s "$SCALE_REC"
echo "scale: records"
sed 's/^/  /' "$SCALE_REC"
# The table: pathwarden against stock, per scenario, from the records:
# the last map's p50 and max over the runs (a run that missed a map counts
# as missed, not as its time), the longest stall of any map.
echo "scale: $LIO_LUNS LUNs, last map on the new master's group (ms from the start; promotions: the agent's first write), p50 / max over the runs; the longest I/O of any map"
printf '  %-14s %-26s %-26s %s\n' scenario pathwarden stock "ratio (p50)"
jq -rs '
	def p50: sort | .[(length - 1) / 2 | floor];
	def stats(s; c): map(select(.scenario == s and .config == c and .rep != null)) as $r |
		($r | map(.last_map_switch_ms) | map(select(. != null))) as $t |
		{ n: ($r | length), ok: ($t | length),
		  p50: (if ($t | length) == ($r | length) and ($t | length) > 0 then ($t | p50) else null end),
		  max: (if ($t | length) > 0 then ($t | max) else null end),
		  stall: ($r | map(.stall_ms_max // 0) | max) };
	def cell(x): if x.n == 0 then "-"
		else "\(x.p50 // "missed") / \(x.max // "-") (\(x.ok)/\(x.n)); \(x.stall)" end;
	. as $all |
	("switchover", "failback", "link-loss", "node-restored") as $s |
	($all | stats($s; "pathwarden")) as $p | ($all | stats($s; "stock")) as $k |
	[$s, cell($p), cell($k),
	 (if $p.p50 != null and $k.p50 != null and $k.p50 > 0
	  then "\($p.p50 / $k.p50 * 100 | round / 100)" else "-" end)] | @tsv' "$SCALE_REC" |
	awk -F'\t' '{ printf "  %-14s %-26s %-26s %s\n", $1, $2, $3, $4 }'
jq -rs 'map(select(.scenario == "multipathd-idle")) |
	"  multipathd at idle (% of a core): " +
	(map("\(.config) \(.multipathd_idle_cpu_pct)") | join(", ")) +
	"; SCSI commands per path per minute: " +
	(map("\(.config) \(.scsi_cmds_per_path_per_min // "?")") | join(", "))' "$SCALE_REC"
# The issue's targets, each met or missed with its figure.
echo "scale: targets at $LIO_LUNS LUNs (pathwarden)"
jq -rs --argjson ref "$SCALE_REF_STALL_MS" '
	def p50: sort | .[(length - 1) / 2 | floor];
	def mark(ok): if ok then "met" else "MISSED" end;
	(map(select(.config == "pathwarden" and .scenario == "switchover"))) as $sw |
	($sw | map(.last_map_switch_ms)) as $t |
	(map(select(.config == "pathwarden" and .scenario == "link-loss")) |
		map(.stall_ms_max) | max) as $stall |
	(map(select(.rep != null)) | map(.io_errors + .mismatches) | add) as $bad |
	(map(select(.scenario == "cost")) | .[0] // {}) as $c |
	"  last map within 1000 ms of the promotion, p50 of \($t | length): " +
		(if ($t | length) == 0 or ($t | any(. == null)) then "MISSED (a run left maps behind)"
		 else "\($t | p50) ms, \(mark(($t | p50) <= 1000))" end),
	"  link-loss stall within 200 ms of the one-LUN figure, \($ref) ms: " +
		(if $stall == null then "not run" else "\($stall) ms, \(mark($stall <= $ref + 200))" end),
	"  I/O errors and mismatches, every run of both configurations: \($bad // 0), \(mark(($bad // 0) == 0))",
	"  daemon at idle <= 1 % of a core: \($c.daemon_idle_cpu_pct // "?") %, \(mark(($c.daemon_idle_cpu_pct // 100) <= 1))",
	"  daemon RSS <= 16 MiB: \(($c.daemon_rss_kib // 0) / 1024 * 10 | round / 10) MiB, \(mark(($c.daemon_rss_kib // 1e9) <= 16384))",
	"  status --json <= 100 ms over the real paths: \($c.status_json_ms_best // "?") ms, \(mark(($c.status_json_ms_best // 1e9) <= 100))"' "$SCALE_REC"
