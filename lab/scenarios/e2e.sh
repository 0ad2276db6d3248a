# The checker and the prio end to end on the whole stack (issue 3), one
# boot.  Sourced by lab/guest/run.sh after bring-up; prints TAP.
. "$PW_TREE/tests/plugin/lab-e2e.sh"
tap_done
