# A short smoke of the plugins on one suite (issue lab-suites): multipathd
# runs the rtpg checker and prio on all 4 paths, then under a verified
# write+read load one Pacemaker-style switchover and back, and one silent
# link loss and back, with no I/O error and no mismatch.  Sourced by
# lab/scenarios/plugin-smoke.sh after bring-up; prints TAP.

CHECKER=rtpg
PRIO=rtpg
WAIT=${PW_E2E_WAIT:-50}

. "$PW_TREE/tests/plugin/lab-paths.sh"

check_topology
load_start
promote_peer() { fault_promote hpms02; }
promote_home() { fault_promote hpms01; }
hpms02_promoted() { node_is hpms02 ready 50 active && node_is hpms01 ready 10 enabled; }
under_load "switchover to hpms02 under load" promote_peer hpms02_promoted \
	promote_home
under_load "silent link loss of hpms01 under load" link_drop hpms01_failed \
	link_back
load_end
