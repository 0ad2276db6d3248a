# The shipped Prometheus alert rules on the suite's real Prometheus,
# against the lab daemon (lab/run fleet; not in make check: the path-down
# alert needs its node silent for over two minutes).  Sourced by
# lab/guest/run.sh after bring-up; prints TAP.
lab_config pathwarden > /dev/null || log "fleet: lab_config pathwarden failed"
. "$PW_TREE/tests/monitor/lab-prometheus.sh"
tap_done
