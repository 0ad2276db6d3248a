# The target agent and the initiator monitor against the real stack, one
# boot (issues 4 and 5): pathwarden-agent and ocf:pathwarden:alua on LIO,
# then pathwarden's discovery, login, status, doctor and daemon, then one
# repetition of two benchmark scenarios each way, flapping ALUA states
# under fast checks, a hung target, a hostile one, and no CHAP secret in
# any output.  Sourced by lab/guest/run.sh after bring-up; prints TAP.
. "$PW_TREE/tests/agent/lab-agent.sh"
. "$PW_TREE/tests/monitor/lab-monitor.sh"
# The benchmark's wiring (lab_config, labctl hooks, pathwarden bench on the
# real stack), once each way: the figures are make demo's business.  Its
# waits are bounded for a suite: 90 s a state (stock's slowest here is
# about 18 s), 15 minutes in all (it takes about 2), so a stack that never
# gets there fails these checks and leaves the suite's time to the rest.
PW_BENCH_REPS=1 PW_BENCH_SCENARIOS=switchover,link-loss \
	PW_BENCH_DEADLINE=90 PW_BENCH_LIMIT=900 \
	PW_BENCH_OUT=$PW_RESULTS/bench-smoke . "$PW_TREE/tests/bench/lab-bench.sh"
# Issue 8 on the real stack, in the pathwarden configuration: check cycles
# by the thousand with flapping states (first: the hang test restarts the
# daemon, whose memory would then still be warming up), then a hung target.
lab_daemon_pid > /dev/null || lab_config pathwarden > /dev/null ||
	log "lab_config pathwarden failed"
log "after the benchmark: pathwarden daemon $(lab_daemon_pid | tr '\n' ' ')"
. "$PW_TREE/tests/reliability/lab-flap.sh"
. "$PW_TREE/tests/reliability/lab-hang.sh"
# Near the end: it adds a fifth path (its own map) the tests above do not
# expect.
. "$PW_TREE/tests/reliability/lab-hostile.sh"
# Last: both targets then demand CHAP, and every session is logged in again.
. "$PW_TREE/tests/reliability/lab-chap.sh"
tap_done
