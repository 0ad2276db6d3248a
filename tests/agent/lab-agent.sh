# pathwarden-agent and ocf:pathwarden:alua against the lab's real LIO
# (issue 4).  Sourced by a lab scenario after bring-up, with every lab
# function loaded (log, tap_*, wait_until, lio_*, fault_*); prints TAP.
#
# The lab's two nodes share one configfs: node N's configuration is its own
# device core/fileio_N/vg1, which carries both groups.  lio_agent NODE runs
# the agent on that device as the node's own agent would.

OCF_RA=${OCF_RA:-/usr/lib/ocf/resource.d/pathwarden/alua}

# view_states NODE: "LOCAL_STATE REMOTE_STATE" as NODE's agent reports them
# (SPC names, as in its JSON).
view_states() {
	lio_agent "$1" status --json | jq -r '
		[.units[0].groups[] | select(.role == "local")][0].state + " " +
		[.units[0].groups[] | select(.role == "remote")][0].state'
}

# group_states_agree: both nodes report the same state for each group.
group_states_agree() {
	local a b
	a=$(lio_agent hpms01 status --json | jq -c '[.units[0].groups[] | {name, state}] | sort_by(.name)')
	b=$(lio_agent hpms02 status --json | jq -c '[.units[0].groups[] | {name, state}] | sort_by(.name)')
	[ -n "$a" ] && [ "$a" = "$b" ]
}

# rtpg_view DEV: "ID=STATE ID=STATE" from sg_rtpg on one path (sg3_utils,
# independent of the project's own parser).
rtpg_view() {
	sg_rtpg "/dev/$1" 2>/dev/null | awk '
		/target port group id/ { sub(/.*id : */, ""); sub(/ *,.*/, ""); id = $0 }
		/asymmetric access state/ { sub(/.*state : */, ""); s[id] = $1 }
		END { for (k in s) printf "%s=%s\n", k, s[k] }' | sort | tr '\n' ' '
}

# rtpg_all_paths WANT: every path's RTPG answer is WANT.
rtpg_all_paths() {
	local d
	for d in $(mp_paths | awk '{ print $1 }'); do
		[ "$(rtpg_view "$d")" = "$1" ] || return 1
	done
}
show_rtpg() {
	local d
	for d in $(mp_paths | awk '{ print $1 }'); do
		echo "#   $d: $(rtpg_view "$d")"
	done
}

# Group 1 is hpms01's, group 2 hpms02's.  SPC: 0x00 AO, 0x01 ANO.
HPMS01_MASTER="0x1=0x00 0x2=0x01 "
HPMS02_MASTER="0x1=0x01 0x2=0x00 "

log "agent: LIO in the lab"
tap_check "agent: hpms01's view after bring-up: AO ANO ($(view_states hpms01))" \
	test "$(view_states hpms01)" = "active/optimized active/non-optimized"
tap_check "agent: hpms02's view after bring-up: ANO AO ($(view_states hpms02))" \
	test "$(view_states hpms02)" = "active/non-optimized active/optimized"
tap_check "agent: both nodes report the same state for each group" group_states_agree
if wait_until 10 rtpg_all_paths "$HPMS01_MASTER"; then
	tap_ok "agent: sg_rtpg on every path: hpms01 AO, hpms02 ANO"
else
	tap_not_ok "agent: sg_rtpg on every path: hpms01 AO, hpms02 ANO"
	show_rtpg
fi

out=$(lio_agent hpms01 promote 2>&1)
tap_check "agent: promote of the master again changes nothing (idempotent)" \
	test -z "$out"

fault_promote hpms02
if wait_until 10 rtpg_all_paths "$HPMS02_MASTER"; then
	tap_ok "agent: hpms02 promoted: every path's RTPG says hpms02 AO, hpms01 ANO"
else
	tap_not_ok "agent: hpms02 promoted: every path's RTPG says hpms02 AO, hpms01 ANO"
	show_rtpg
fi
tap_check "agent: after the switch both nodes agree" group_states_agree

# Graceful: through transitioning, held 300 ms, then the new state.
lio_agent hpms02 demote -G -t 300 && lio_agent hpms01 promote -G -t 300 &&
	lio_agent hpms02 set-state hpms01 active
if wait_until 10 rtpg_all_paths "$HPMS01_MASTER"; then
	tap_ok "agent: graceful switch back: every path's RTPG says hpms01 AO"
else
	tap_not_ok "agent: graceful switch back: every path's RTPG says hpms01 AO"
	show_rtpg
fi
tap_check "agent: after the graceful switch both nodes agree" group_states_agree

# Bad input changes nothing: a state LIO has no name for, an unknown group.
before=$(lio_agent hpms01 status --json)
lio_agent hpms01 set-state hpms02 sleepy > /dev/null 2>&1; rc=$?
tap_check "agent: unknown state refused with exit 2 (got $rc)" test "$rc" -eq 2
lio_agent hpms01 set-state nosuchgroup standby > /dev/null 2>&1; rc=$?
tap_check "agent: unknown group refused with exit 3 (got $rc)" test "$rc" -eq 3
tap_check "agent: refused commands wrote nothing" \
	test "$(lio_agent hpms01 status --json)" = "$before"

# --- ocf:pathwarden:alua ----------------------------------------------------
# ocf-tester drives hpms01's instance through start, monitor, promote,
# demote, stop... against the real configfs.  It needs no Pacemaker.
mkdir -p /run/resource-agents
export OCF_ROOT=/usr/lib/ocf
out=$(ocf-tester -n p_alua -o backend=lio -o device=fileio_1/vg1 \
	-o local_tgt_grp=hpms01 -o remote_tgt_grp=hpms02 "$OCF_RA" 2>&1); rc=$?
echo "$out" > "$PW_RESULTS/ocf-tester.txt"
tap_check "ocf-tester against LIO: exit 0 (got $rc)" test "$rc" -eq 0
tap_check "ocf-tester against LIO: passed all tests" \
	sh -c "grep -q 'passed all tests' '$PW_RESULTS/ocf-tester.txt'"
[ "$rc" -eq 0 ] || echo "$out" | tail -n 15 | sed 's/^/#   /'

# Both nodes' instances as Pacemaker drives them (no Pacemaker: the actions
# are called with the variables it sets; both instances run in this one VM,
# so the peer's node name is made up).  Then monitor corrects drift.
ra() {
	local node=$1 action=$2
	shift 2
	lio_peer "$node"
	env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE="p_alua:${LIO_IDX[$node]}" \
		OCF_RESKEY_backend=lio OCF_RESKEY_device="fileio_${LIO_IDX[$node]}/vg1" \
		OCF_RESKEY_local_tgt_grp="$node" OCF_RESKEY_remote_tgt_grp="$LIO_PEER" \
		"$@" "$OCF_RA" "$action" > /dev/null 2>&1
}
ra hpms01 start; ra hpms02 start
ra hpms01 promote
ra hpms02 notify OCF_RESKEY_CRM_meta_notify_type=post \
	OCF_RESKEY_CRM_meta_notify_operation=promote \
	OCF_RESKEY_CRM_meta_notify_promote_uname=node-hpms01
ra hpms01 monitor; rc=$?
tap_check "ocf: hpms01's instance monitors as master (8, got $rc)" test "$rc" -eq 8
ra hpms02 monitor; rc=$?
tap_check "ocf: hpms02's instance monitors as slave (0, got $rc)" test "$rc" -eq 0
tap_check "ocf: after start/promote/notify both nodes agree" group_states_agree
lio_set_view_state hpms02 hpms01 standby
ra hpms02 monitor; rc=$?
tap_check "ocf: monitor with a drifted remote group: still slave (0, got $rc)" test "$rc" -eq 0
tap_check "ocf: monitor put the drifted group back ($(view_states hpms02))" \
	test "$(view_states hpms02)" = "active/non-optimized active/optimized"
lio_set_view_state hpms01 hpms01 nonoptimized
ra hpms01 monitor; rc=$?
tap_check "ocf: monitor with a drifted local group: still master (8, got $rc)" test "$rc" -eq 8
tap_check "ocf: master's own group back to active ($(view_states hpms01))" \
	test "$(view_states hpms01)" = "active/optimized active/non-optimized"
if wait_until 10 rtpg_all_paths "$HPMS01_MASTER"; then
	tap_ok "ocf: after the agent tests every path's RTPG says hpms01 AO"
else
	tap_not_ok "ocf: after the agent tests every path's RTPG says hpms01 AO"
	show_rtpg
fi
rm -f /run/resource-agents/pathwarden-alua-p_alua*.state
