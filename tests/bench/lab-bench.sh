# pathwarden bench in the lab with the lab's faults as hooks (issue 6);
# sourced by lab/scenarios/bench.sh (make demo) and, with one repetition of
# two scenarios, by lab/scenarios/integration.sh (make check).  Prints the
# progress and the tables and four TAP lines; the caller ends the TAP.
#
#   PW_BENCH_REPS       repetitions per scenario and configuration (5)
#   PW_BENCH_SCENARIOS  comma-separated subset (all)
#   PW_BENCH_CONFIGS    comma-separated subset of stock,pathwarden (both)
#   PW_BENCH_OUT        results directory ($PW_RESULTS/bench)
#   PW_BENCH_DEADLINE   bench.conf's deadline, seconds (240)
#   PW_BENCH_LIMIT      seconds the whole run may take, then it is
#                       interrupted (SIGINT: the fault restored, the
#                       report written) and fails ("": no limit)
#
# The home node is hpms01 (optimized at the baseline), the peer hpms02.

REPS=${PW_BENCH_REPS:-5}
OUT=${PW_BENCH_OUT:-$PW_RESULTS/bench}
CTL=$PW_TREE/lab/guest/labctl
BENCH_CONF=/run/pathwarden/bench.conf

lab_pw_conf "$PW_LAB_CONF"
# The stack these figures were measured on, above the tables and beside
# the records.
mkdir -p "$OUT"
if [ -s "$PW_RESULTS/platform.json" ]; then
	cp "$PW_RESULTS/platform.json" "$OUT/platform.json"
	echo "platform: $(jq -c . "$PW_RESULTS/platform.json")"
fi
mkdir -p "$(dirname "$BENCH_CONF")"
cat > "$BENCH_CONF" <<CONF
# The lab's benchmark: the map is a scratch LUN on the lab's image file.
map auto
test-lun yes
home hpms01
load rate 100 blocks 1024
hold 2
# A held transition keeps stock's I/O on the transitioning paths for up to
# (retries + 1) x the command timeout, about 180 s: let it show.
deadline ${PW_BENCH_DEADLINE:-240}
settle 1
# Stock is measured, not tested: a repetition in which stock multipathd
# never moves I/O to the new optimized group (it has kept all four paths in
# one group for minutes after a promotion, about 1 in 80 repetitions) is
# its figure, shown as a missed repetition, and fails neither make demo
# nor make check.
reference stock

config stock      $CTL lab_config stock
config pathwarden $CTL lab_config pathwarden

# Pacemaker-style promotion of hpms02 through the agent, then back.
scenario switchover switch
inject   switchover $CTL fault_promote hpms02
restore  switchover $CTL fault_promote hpms01

# hpms01's group to standby, and to unavailable (both nodes' views).
scenario standby switch
inject   standby $CTL lio_set_state hpms01 standby
restore  standby $CTL lio_set_state hpms01 ao
scenario unavailable switch
inject   unavailable $CTL lio_set_state hpms01 unavailable
restore  unavailable $CTL lio_set_state hpms01 ao

# hpms01's group offline, LIO's way: every command on its ports refused
# with ILLEGAL REQUEST, a target error dm-multipath cannot retry elsewhere:
# the I/O errors are counted and reported, they do not fail the run.
scenario offline switch target-errors
inject   offline $CTL lio_set_state hpms01 offline
restore  offline $CTL lio_set_state hpms01 ao
# hpms01's group held in transition (an array stuck in one): I/O must go
# to hpms02's group while it lasts.
scenario transitioning-held switch
inject   transitioning-held $CTL lio_set_state hpms01 transitioning
restore  transitioning-held $CTL lio_set_state hpms01 ao

# Silent loss of both of hpms01's portals (dropped, no RST), and back.
scenario link-loss switch
inject   link-loss $CTL fault_link_drop hpms01
restore  link-loss $CTL fault_link_restore hpms01

# hpms01 crashes: its target port disappears, connections reset.
scenario crash switch
inject   crash $CTL fault_node_down hpms01
restore  crash $CTL fault_node_up hpms01

# One of hpms01's portals lost silently; I/O stays on hpms01.
scenario portal-loss path
inject   portal-loss $CTL fault_link_drop 127.1.2.1
restore  portal-loss $CTL fault_link_restore 127.1.2.1
CONF
chmod 0644 "$BENCH_CONF"

args=(-c "$PW_LAB_CONF" bench -B "$BENCH_CONF" -n "$REPS" -o "$OUT")
[ -n "${PW_BENCH_SCENARIOS:-}" ] && args+=(-s "$PW_BENCH_SCENARIOS")
[ -n "${PW_BENCH_CONFIGS:-}" ] && args+=(-k "$PW_BENCH_CONFIGS")
log "benchmark: $REPS repetitions, scenarios ${PW_BENCH_SCENARIOS:-all}"
if [ -n "${PW_BENCH_LIMIT:-}" ]; then
	timeout -s INT -k 120 "$PW_BENCH_LIMIT" pathwarden "${args[@]}" 2>&1
	rc=$?
	[ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] &&
		log "pathwarden bench still running after ${PW_BENCH_LIMIT} s: interrupted"
else
	pathwarden "${args[@]}" 2>&1
	rc=$?
fi
log "pathwarden bench exit $rc"
tap_check "pathwarden bench: every repetition reached its states, no I/O error, no mismatch (exit $rc)" \
	test "$rc" -eq 0
tap_check "records written" test -s "$OUT/records.jsonl"
tap_check "summary written" test -s "$OUT/summary.md"
tap_check "a timeline per scenario" sh -c "ls '$OUT'/*.svg > /dev/null"
# What "stock" was on this suite (lab_config stock): its own session
# timeouts and multipathd's entry for the LUN, with no pathwarden file.
case ",${PW_BENCH_CONFIGS:-stock}," in
*,stock,*)
	cp "$PW_RESULTS/stock-config.txt" "$OUT/" 2>/dev/null
	grep '^#' "$OUT/stock-config.txt" 2>/dev/null | sed 's/^# /stock: /'
	stock_is_own() {
		test -s "$OUT/stock-config.txt" &&
			grep -q 'vendor "[^"]*LIO-ORG' "$OUT/stock-config.txt" &&
			! grep -q rtpg "$OUT/stock-config.txt"
	}
	tap_check "stock ran the suite's own LIO-ORG entry, no rtpg (stock-config.txt)" \
		stock_is_own ;;
esac
