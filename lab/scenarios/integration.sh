# The target agent and the initiator monitor against the real stack, one
# boot (issues 4 and 5): pathwarden-agent and ocf:pathwarden:alua on LIO,
# then pathwarden's discovery, login, status, doctor and daemon.  Sourced by
# lab/guest/run.sh after bring-up; prints TAP.
. "$PW_TREE/tests/agent/lab-agent.sh"
. "$PW_TREE/tests/monitor/lab-monitor.sh"
tap_done
