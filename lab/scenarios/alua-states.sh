# Every ALUA state under load, stock and pathwarden side by side (issue
# alua-states), then a storage node down at the host's start coming back
# (issue node-return), then pathwarden.service under systemd; one boot.
# Sourced by lab/guest/run.sh after bring-up; prints TAP.
. "$PW_TREE/tests/monitor/lab-alua-states.sh"
. "$PW_TREE/tests/monitor/lab-transition-held.sh"
. "$PW_TREE/tests/monitor/lab-merged-group.sh"
. "$PW_TREE/tests/monitor/lab-node-return.sh"
# Last, on a suite's root (systemd as PID 1): pathwarden.service as the
# package installs it, from no session at all (it logs everything out),
# with the lab's own daemon stopped.
if under_systemd; then
	_lab_daemon_stop
	. "$PW_TREE/tests/monitor/lab-systemd.sh"
else
	log "pathwarden.service: not run (the host's root has no systemd as PID 1)"
fi
tap_done
