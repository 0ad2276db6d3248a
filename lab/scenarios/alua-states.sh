# Every ALUA state under load, stock and pathwarden side by side (issue
# alua-states), then a storage node down at the host's start coming back
# (issue node-return); one boot.  Sourced by lab/guest/run.sh after
# bring-up; prints TAP.
. "$PW_TREE/tests/monitor/lab-alua-states.sh"
. "$PW_TREE/tests/monitor/lab-node-return.sh"
tap_done
