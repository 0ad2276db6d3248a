# make soak (issues 6, 8 and 20), not in CI: the pathwarden configuration
# under a steady verified write+read load,
#  1. PW_SOAK_QUIET_S (1800) seconds with no fault but impairments
#     (PW_SOAK_IMPAIR, yes): every portal's traffic through netem (20 ms
#     +- 10 ms, 1 % loss, reordering) throughout, and in windows of 20-60 s
#     drawn with the seed: busy loops on every guest CPU, the backstore
#     200 ms or 1500 ms late per I/O (dm-delay), or a hog and the long
#     delay together.  With the shipped short session timeouts (NOP-Out 1 s
#     / 1 s, fast_io_fail_tmo 1) and early failover on (PW_SOAK_EARLY, yes:
#     a probe of the map, "early-failover yes") no path may fail and dm
#     may not leave hpms01's group: each such event is a false failover,
#     counted from the kernel's "Failing path" lines and a once-a-second
#     look at dm's status;
#  2. PW_SOAK_FAULTS (100) faults of PW_SOAK_KINDS (all six): the
#     benchmark's scenarios in an order drawn with a fixed seed
#     (PW_SOAK_SEED, 1), netem off, each run by pathwarden bench
#     (verified load, every state waited for, region read back),
#     PW_SOAK_BATCH (25) to a bench run;
# then zero I/O errors, zero mismatches, multipathd and pathwarden alive,
# and their memory at the start and the end.  Counts in
# $PW_RESULTS/soak/summary.json.  Prints TAP.

QUIET_S=${PW_SOAK_QUIET_S:-1800}
FAULTS=${PW_SOAK_FAULTS:-100}
SEED=${PW_SOAK_SEED:-1}
IMPAIR=${PW_SOAK_IMPAIR:-yes}
EARLY=${PW_SOAK_EARLY:-yes}
KINDS=${PW_SOAK_KINDS:-switchover standby unavailable link-loss crash portal-loss}
CTL=$PW_TREE/lab/guest/labctl
OUT=$PW_RESULTS/soak
mkdir -p "$OUT" /run/pathwarden

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

lab_pw_conf "$PW_LAB_CONF"
PW_LAB_EARLY_FAILOVER=$EARLY "$CTL" lab_config pathwarden ||
	{ tap_not_ok "pathwarden configuration in place"; tap_done; exit 1; }
MAP=$(map_name)
[ "$EARLY" != yes ] || tap_check "early failover on, $MAP probed" \
	grep -qx 'early-failover yes' "$PW_LAB_CONF"
mpd=$(pidof multipathd)
pwd_=$(lab_daemon_pid)
mp_rss0=$(rss_kib "$mpd") pw_rss0=$(rss_kib "$pwd_")
log "soak: multipathd $mpd ${mp_rss0} KiB, pathwarden $pwd_ ${pw_rss0} KiB"

# --- 1. no fault, impaired, loaded -------------------------------------------

# dm_watch STOPFILE: once a second, whether dm is as it should be with
# hpms01 optimized and nothing wrong: every path of the map active
# (else "failed"), I/O on hpms01's group (else "moved").  Prints
# "SECONDS STATE WHAT" at each change of STATE (ok, failed, moved,
# failed+moved).
dm_watch() {
	local was=ok now what home st next failed
	while [ ! -e "$1" ]; do
		home=$(node_devts hpms01 | sort | tr '\n' ' ')
		st=$(dm_paths_all)	# one dmsetup call a look
		next=$(awk -v m="$MAP" '$1 == m && $3 == 1 { print $4 }' <<< "$st" | sort | tr '\n' ' ')
		failed=$(awk -v m="$MAP" '$1 == m && $5 == "F" { printf "%s ", $4 }' <<< "$st")
		now='' what=''
		[ -z "$failed" ] || { now=failed; what="failed: $failed"; }
		[ "$next" = "$home" ] ||
			{ now=${now:+$now+}moved; what="$what in use: ${next:-none} (hpms01: $home)"; }
		now=${now:-ok}
		[ "$now" = "$was" ] || echo "$(elapsed) $now $what"
		was=$now
		sleep 1
	done
}

# The impairment windows, drawn once: "KIND SECONDS" until QUIET_S is
# filled; rest is a window with netem alone.
awk -v total="$QUIET_S" -v seed="$SEED" 'BEGIN {
	srand(seed)
	k = split("hog slow stall hog+stall rest", kind, " ")
	for (t = 0; t < total; t += d) {
		d = 20 + int(rand() * 41)
		if (t + d > total) d = total - t
		print kind[int(rand() * k) + 1], d
	}
}' > "$OUT/impairments.txt"

impair_on() {
	case $1 in
	hog) fault_cpu_hog ;;
	slow) fault_backstore_slow 200 ;;
	stall) fault_backstore_slow 1500 ;;
	hog+stall) fault_cpu_hog && fault_backstore_slow 1500 ;;
	rest) ;;
	esac
}
impair_off() { fault_cpu_hog_stop; [ "$1" = hog ] || [ "$1" = rest ] || fault_backstore_restore; }

mark=$(wc -l < "$MPATHD_LOG")
dmark=$(wc -l < "$PW_LAB_DAEMON_LOG")
read -r k0 _ < /proc/uptime
dmesg -w > "$OUT/kernel.log" 2>&1 &
kmsg=$!
stop=/run/pwlab-soak.stop
rm -f "$stop"
dm_watch "$stop" > "$OUT/dm-watch.log" &
watch=$!
"$PW_BUILD/lab/pwlab-io" -d "$(mp_dev)" -s "$stop" -n 4096 -r 200 \
	-l "$OUT/quiet-gaps.log" -g 500 > "$OUT/quiet-io.out" 2>&1 &
io=$!
windows=0 impair_rc=0
if [ "$IMPAIR" = yes ]; then
	fault_net_impair || impair_rc=1
	log "soak: netem on every portal ($FAULT_NETEM); ${QUIET_S} s of load, no fault, $(grep -vc '^rest' "$OUT/impairments.txt") impairment windows (seed $SEED)"
	while read -r what secs; do
		log "soak: $what for $secs s"
		impair_on "$what" || impair_rc=1
		[ "$what" = rest ] || windows=$((windows + 1))
		sleep "$secs"
		impair_off "$what" || impair_rc=1
	done < "$OUT/impairments.txt"
	fault_net_clear
else
	log "soak: ${QUIET_S} s of load with no fault and no impairment"
	sleep "$QUIET_S"
fi
: > "$stop"
wait "$io"; io_rc=$?
wait "$watch"
read -r k1 _ < /proc/uptime
sleep 1
kill "$kmsg" 2>/dev/null
wait "$kmsg" 2>/dev/null
sed 's/^/# /' "$OUT/quiet-io.out"
sed 's/^/# dm: /' "$OUT/dm-watch.log"
fails=$(tail -n "+$((mark + 1))" "$MPATHD_LOG" | grep -cE 'mark as failed|remaining active paths: [0-3]$')
# The kernel's own word for every path dm failed (an I/O error on it,
# multipathd's checker, the daemon's "fail path"), inside the window.
kfails=$(awk -v t0="$k0" -v t1="$k1" '
	match($0, /^\[ *[0-9]+\.[0-9]+\]/) {
		t = substr($0, 2, RLENGTH - 2) + 0
		if (t >= t0 && t <= t1 && /multipath.*[Ff]ailing path/) n++
	} END { print n + 0 }' "$OUT/kernel.log")
# A group switch is a move of dm's I/O off hpms01's group; a failed path
# is counted once, by the kernel's line, not again by the watch.
bad=$(grep -c ' [a-z+]*moved ' "$OUT/dm-watch.log")
unhealthy=$(grep -vc ' ok ' "$OUT/dm-watch.log")
early=$(tail -n "+$((dmark + 1))" "$PW_LAB_DAEMON_LOG" | grep -c 'early failover off')
q_err=$(sed -n 's/.* io_errors=\([0-9]*\) .*/\1/p' "$OUT/quiet-io.out")
q_mis=$(sed -n 's/.* mismatches=\([0-9]*\) .*/\1/p' "$OUT/quiet-io.out")
false_fo=$((kfails + bad))
[ "$IMPAIR" != yes ] || tap_check "impairments applied and undone ($windows windows, netem throughout)" test "$impair_rc" -eq 0
tap_check "quiet ${QUIET_S} s under load: no I/O error, no mismatch (pwlab-io exit $io_rc)" test "$io_rc" -eq 0
tap_check "quiet ${QUIET_S} s under load: no path failed ($fails multipathd failures, $kfails paths failed by dm)" \
	test "$fails" -eq 0 -a "$kfails" -eq 0
tap_check "quiet: dm stayed on hpms01's group with every path active ($bad moves, $unhealthy changes for the worse)" \
	test "$unhealthy" -eq 0
[ "$EARLY" != yes ] || tap_check "quiet: early failover never fired ($early times)" test "$early" -eq 0
tap_check "quiet: the load did real work (a write a second at least)" \
	test "$(sed -n 's/.* writes=\([0-9]*\) .*/\1/p' "$OUT/quiet-io.out")" -gt "$QUIET_S"

# --- 2. faults in a seeded random order --------------------------------------
errs=0 mism=0 nrec=0
if [ "$FAULTS" -gt 0 ]; then
	BATCH=${PW_SOAK_BATCH:-25}
	seq_file=$OUT/sequence.txt
	awk -v n="$FAULTS" -v seed="$SEED" -v ctl="$CTL" -v kinds="$KINDS" 'BEGIN {
		srand(seed)
		k = split(kinds, s, " ")
		inj["switchover"] = "fault_promote hpms02";  res["switchover"] = "fault_promote hpms01"
		inj["standby"] = "lio_set_state hpms01 standby"; res["standby"] = "lio_set_state hpms01 ao"
		inj["unavailable"] = "lio_set_state hpms01 unavailable"; res["unavailable"] = "lio_set_state hpms01 ao"
		inj["link-loss"] = "fault_link_drop hpms01"; res["link-loss"] = "fault_link_restore hpms01"
		inj["crash"] = "fault_node_down hpms01";     res["crash"] = "fault_node_up hpms01"
		inj["portal-loss"] = "fault_link_drop 127.1.2.1"; res["portal-loss"] = "fault_link_restore 127.1.2.1"
		for (i = 1; i <= n; i++) {
			t = s[int(rand() * k) + 1]
			name = sprintf("%03d-%s", i, t)
			printf "scenario %s %s\n", name, (t == "portal-loss" ? "path" : "switch")
			printf "inject %s %s %s\n", name, ctl, inj[t]
			printf "restore %s %s %s\n", name, ctl, res[t]
		}
	}' > "$seq_file"
	log "soak: $FAULTS faults (seed $SEED: $(awk '$1 == "scenario" { sub(/^[0-9]+-/, "", $2); n[$2]++ } END { for (t in n) printf "%s %d, ", t, n[t] }' "$seq_file"| sed 's/, $//')), batches of $BATCH"
	rc=0 b=0
	for ((first = 1; first <= FAULTS; first += BATCH)); do
		b=$((b + 1))
		conf=/run/pathwarden/soak-$b.conf
		{
			cat <<-CONF
	map auto
	test-lun yes
	home hpms01
	load rate 100 blocks 1024
	hold 2
	deadline 90
	settle 1
	config pathwarden true
	CONF
			# three lines per fault
			sed -n "$(((first - 1) * 3 + 1)),$(((first + BATCH - 1) * 3))p" "$seq_file"
		} > "$conf"
		chmod 0644 "$conf"
		pathwarden -c "$PW_LAB_CONF" bench -B "$conf" -n 1 -k pathwarden -o "$OUT/faults-$b" 2>&1 |
			grep -E '^\[|error|mismatch|pathwarden bench:' | sed 's/^/# /'
		brc=${PIPESTATUS[0]}
		[ "$brc" -eq 0 ] || rc=$brc
		log "soak: batch $b (faults $first-$((first + BATCH - 1 < FAULTS ? first + BATCH - 1 : FAULTS))): bench exit $brc"
	done
	cat "$OUT"/faults-*/records.jsonl > "$OUT/records.jsonl" 2>/dev/null
	errs=$(jq -s 'map(.io_errors) | add' "$OUT/records.jsonl" 2>/dev/null)
	mism=$(jq -s 'map(.mismatches) | add' "$OUT/records.jsonl" 2>/dev/null)
	nrec=$(grep -c . "$OUT/records.jsonl" 2>/dev/null)
	tap_check "$FAULTS faults: every one reached its states (bench exit $rc, $nrec records)" \
		test "$rc" -eq 0 -a "${nrec:-0}" -eq "$FAULTS"
	tap_check "$FAULTS faults: zero I/O errors ($errs)" test "${errs:-x}" = 0
	tap_check "$FAULTS faults: zero verify mismatches ($mism)" test "${mism:-x}" = 0

	# Each kind's stall and failback with this configuration (with
	# PW_SOAK_EARLY the daemon's early failover acts on link loss).
	jq -rs 'map(.kind = (.scenario | sub("^[0-9]+-"; ""))) | group_by(.kind)[] |
		(map(.stall_ms) | sort) as $s | (map(.failback_ms) | sort) as $f |
		"# \(.[0].kind): \(length) runs, stall p50 \($s[(length / 2) | floor] | floor) ms max \($s[-1] | floor) ms, failback p50 \($f[(length / 2) | floor] | floor) ms"' \
		"$OUT/records.jsonl" 2>/dev/null
fi
tap_check "multipathd alive, same process ($mpd)" test "$(pidof multipathd)" = "$mpd"
tap_check "pathwarden alive, same process ($pwd_)" test "$(lab_daemon_pid)" = "$pwd_"
mp_rss1=$(rss_kib "$mpd") pw_rss1=$(rss_kib "$pwd_")
echo "# memory: multipathd ${mp_rss0} -> ${mp_rss1} KiB, pathwarden ${pw_rss0} -> ${pw_rss1} KiB"

# The soak's counts (issue 20): the impaired quiet phase's false
# failovers, every I/O error and mismatch of both phases.
jq -n --argjson seconds "$QUIET_S" --argjson faults "$windows" \
	--argjson false_failovers "$false_fo" --argjson paths_failed "$kfails" \
	--argjson departures "$bad" --argjson early_failovers "$early" \
	--argjson io_errors "$(( ${q_err:-0} + ${errs:-0} ))" \
	--argjson mismatches "$(( ${q_mis:-0} + ${mism:-0} ))" \
	--argjson bench_faults "$nrec" --arg netem "$([ "$IMPAIR" = yes ] && echo "$FAULT_NETEM")" \
	--argjson early_failover "$([ "$EARLY" = yes ] && echo true || echo false)" \
	--argjson seed "$SEED" '{
	seconds: $seconds, faults: $faults, false_failovers: $false_failovers,
	io_errors: $io_errors, mismatches: $mismatches,
	paths_failed: $paths_failed, departures: $departures,
	early_failovers: $early_failovers, early_failover: $early_failover,
	netem: $netem, seed: $seed, bench_faults: $bench_faults
}' > "$OUT/summary.json"
sed 's/^/# summary: /' "$OUT/summary.json"
tap_check "summary.json: zero false failovers ($false_fo)" test "$false_fo" -eq 0
