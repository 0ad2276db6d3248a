# The plugins' short smoke on the booted suite (LAB_SUITE; make
# lab-plugin-smoke): topology and plugins, one switchover and one link
# loss under load.  Sourced by lab/guest/run.sh after bring-up; prints TAP.
. "$PW_TREE/tests/plugin/lab-smoke.sh"
tap_done
