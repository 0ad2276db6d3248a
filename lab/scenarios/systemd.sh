# pathwarden.service under the suite's systemd, its sandbox in force
# (LAB_SUITE=trixie|forky; lab/run systemd).  Sourced by lab/guest/run.sh
# after bring-up; prints TAP.
. "$PW_TREE/tests/monitor/lab-systemd.sh"
tap_done
