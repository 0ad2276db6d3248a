# make soak (issues 6 and 8), not in CI: quiet hours and a hundred faults
# under a verified load.  Sourced by lab/guest/run.sh; prints TAP.
. "$PW_TREE/tests/reliability/lab-soak.sh"
tap_done
