# make memory (issue 8), not in CI: multipathd's and the daemon's memory
# over a long flapping run.  Sourced by lab/guest/run.sh; prints TAP.
. "$PW_TREE/tests/reliability/lab-memory.sh"
tap_done
