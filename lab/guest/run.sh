#!/bin/bash
# Guest entry for 'lab/run SCENARIO': bring the lab up, source the scenario
# (it gets every lab function), collect state, exit with its status.
. "$PW_TREE/lab/guest/bringup.sh"
if ! lab_bringup; then
	tap_not_ok "lab bring-up (see the guest logs)"
	lab_collect
	exit 1
fi
rc=0
. "$PW_SCENARIO" || rc=$?
lab_collect
exit "$rc"
