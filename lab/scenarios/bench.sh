# The failover benchmark in the lab (issue 6, make demo): `pathwarden
# bench` with the lab's faults as its hooks, stock and pathwarden
# alternating in this one boot.  Sourced by lab/guest/run.sh after
# bring-up; the work is tests/bench/lab-bench.sh (its variables: PW_BENCH_*).
# Leaves records.jsonl, timelines/, summary.md and one SVG per scenario in
# $PW_RESULTS/bench.
. "$PW_TREE/tests/bench/lab-bench.sh"
tap_done
