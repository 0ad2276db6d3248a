# make bench-scale (issue [scale]), not in CI: N LUNs (LAB_LUNS) switched
# and failed back with stock and with pathwarden, and the costs at that N.
# Sourced by lab/guest/run.sh after bring-up; prints TAP.
. "$PW_TREE/tests/bench/lab-scale.sh"
tap_done
