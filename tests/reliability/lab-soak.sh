# make soak (issues 6 and 8), not in CI: the pathwarden configuration
# under a steady verified write+read load,
#  1. PW_SOAK_QUIET_S (600) seconds with no fault: with the shipped short
#     session timeouts (NOP-Out 1 s / 1 s, fast_io_fail_tmo 1) no path may
#     fail under load (a false failover is the price of short timeouts);
#  2. PW_SOAK_FAULTS (100) faults: the benchmark's scenarios in an order
#     drawn with a fixed seed (PW_SOAK_SEED, 1), each run by pathwarden
#     bench (verified load, every state waited for, region read back),
#     PW_SOAK_BATCH (25) to a bench run;
# then zero I/O errors, zero mismatches, multipathd and pathwarden alive,
# and their memory at the start and the end.  Prints TAP.

QUIET_S=${PW_SOAK_QUIET_S:-600}
FAULTS=${PW_SOAK_FAULTS:-100}
SEED=${PW_SOAK_SEED:-1}
CTL=$PW_TREE/lab/guest/labctl
OUT=$PW_RESULTS/soak
mkdir -p "$OUT" /run/pathwarden

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

lab_pw_conf "$PW_LAB_CONF"
"$CTL" lab_config pathwarden || { tap_not_ok "pathwarden configuration in place"; tap_done; exit 1; }
mpd=$(pidof multipathd)
pwd_=$(lab_daemon_pid)
mp_rss0=$(rss_kib "$mpd") pw_rss0=$(rss_kib "$pwd_")
log "soak: multipathd $mpd ${mp_rss0} KiB, pathwarden $pwd_ ${pw_rss0} KiB"

# --- 1. quiet, loaded ----------------------------------------------------
mark=$(wc -l < "$MPATHD_LOG")
stop=/run/pwlab-soak.stop
rm -f "$stop"
"$PW_BUILD/lab/pwlab-io" -d "$(mp_dev)" -s "$stop" -n 4096 -r 200 \
	-l "$OUT/quiet-gaps.log" -g 500 > "$OUT/quiet-io.out" 2>&1 &
io=$!
log "soak: ${QUIET_S} s of load with no fault"
sleep "$QUIET_S"
: > "$stop"
wait "$io"; io_rc=$?
sed 's/^/# /' "$OUT/quiet-io.out"
fails=$(tail -n "+$((mark + 1))" "$MPATHD_LOG" | grep -cE 'mark as failed|remaining active paths: [0-3]$')
tap_check "quiet ${QUIET_S} s under load: no I/O error, no mismatch (pwlab-io exit $io_rc)" test "$io_rc" -eq 0
tap_check "quiet ${QUIET_S} s under load: no path failed ($fails multipathd failures)" test "$fails" -eq 0
tap_check "quiet: the load did real work" \
	test "$(sed -n 's/.* writes=\([0-9]*\) .*/\1/p' "$OUT/quiet-io.out")" -gt 1000

# --- 2. faults in a seeded random order --------------------------------------
# One bench configuration holds at most 32 scenarios (BCONF_MAX_SCENARIOS):
# the seeded sequence is drawn once, then run in batches of PW_SOAK_BATCH,
# each a `pathwarden bench` of its own (results in faults-1, faults-2, ...).
BATCH=${PW_SOAK_BATCH:-25}
seq_file=$OUT/sequence.txt
awk -v n="$FAULTS" -v seed="$SEED" -v ctl="$CTL" 'BEGIN {
	srand(seed)
	k = split("switchover standby unavailable link-loss crash portal-loss", s, " ")
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
		cat <<CONF
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
tap_check "multipathd alive, same process ($mpd)" test "$(pidof multipathd)" = "$mpd"
tap_check "pathwarden alive, same process ($pwd_)" test "$(lab_daemon_pid)" = "$pwd_"
mp_rss1=$(rss_kib "$mpd") pw_rss1=$(rss_kib "$pwd_")
echo "# memory: multipathd ${mp_rss0} -> ${mp_rss1} KiB, pathwarden ${pw_rss0} -> ${pw_rss1} KiB"
