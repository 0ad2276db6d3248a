# The target agent and the initiator monitor against the real stack, one
# boot (issues 4 and 5): pathwarden-agent and ocf:pathwarden:alua on LIO,
# then pathwarden's discovery, login, status, doctor and daemon, then one
# repetition of two benchmark scenarios each way.  Sourced by
# lab/guest/run.sh after bring-up; prints TAP.
. "$PW_TREE/tests/agent/lab-agent.sh"
. "$PW_TREE/tests/monitor/lab-monitor.sh"
# The benchmark's wiring (lab_config, labctl hooks, pathwarden bench on the
# real stack), once each way: the figures are make demo's business.
PW_BENCH_REPS=1 PW_BENCH_SCENARIOS=switchover,link-loss \
	PW_BENCH_OUT=$PW_RESULTS/bench-smoke . "$PW_TREE/tests/bench/lab-bench.sh"
tap_done
