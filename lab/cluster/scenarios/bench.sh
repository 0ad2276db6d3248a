# The cluster lab's failover benchmark (make demo LAB_TOPOLOGY=cluster):
# pathwarden bench on proxmox01 (cl_bench), stock and pathwarden, with the
# cluster's own actions as its hooks.  Sourced by lab/boot-cluster.sh once
# the cluster is healthy; this side answers the hooks' requests
# (lab/cluster/hostreq) while the bench runs, checks the data on both nodes
# after every scenario (DRBD online verify) and once the load has stopped
# (the volume's digest on each node), and ends the TAP.  Records, timelines,
# summary.md and the SVGs in $results/proxmox01/bench, the per-scenario
# data checks in $results/bench-checks.tsv.
#
# The requests, each timed by the cluster's own action where it has one:
#   move NODE           crm_resource --move of ms_alua to NODE; mark: NODE's
#                       promote in Pacemaker's log (its ALUA agent's line)
#   clear NODE          the move cleared; mark: NODE's promote
#   portals NODE off|on both of NODE's SAN links down (up); mark: the change
#   replication off|on  the DRBD/Corosync link down at hpms02's NIC, and
#                       wait for hpms01's fence-peer handler to resume its
#                       I/O and for hpms02 to be fenced or demoted; up:
#                       rejoin (booting a node fenced meanwhile) and resync;
#                       mark: the change
#   crash NODE          NODE's VM frozen, wait for its peer's fence to power
#                       it off; mark: the freeze
#   boot NODE           NODE booted again, in the cluster, resynced; mark:
#                       its promote when it is the preferred node
# Every restore ends with the cluster healthy and an online verify.

. "$LAB_DIR/cluster/host-lib.sh"

reqdir="$results/proxmox01/host"
mkdir -p "$reqdir"
checks="$results/bench-checks.tsv"
printf 'scenario\tconfig\trep\trequest\tfigure\tvalue\n' > "$checks"
CTX=
record() { printf '%s\t%s\t%s\t%s\n' "$CTX" "$REQ" "$1" "$2" >> "$checks"; }
peer_of() { [ "$1" = hpms01 ] && echo hpms02 || echo hpms01; }

# wait_promote NODE SINCE SECS: NODE's ALUA promote after SINCE (its clock),
# on the host's clock in MARK.
wait_promote() {
	local tp end=$(( $(date +%s) + $3 ))
	while [ "$(date +%s)" -lt "$end" ]; do
		tp=$(on "$1" cl_promoted_at "$2")
		if [ -n "$tp" ]; then
			MARK=$(host_t "$1" "$tp")
			return 0
		fi
		sleep 1
	done
	echo "no promote of ms_alua on $1 in $3 s"
	return 1
}

# healthy_and_verified: the cluster healthy again, then DRBD's own online
# verify; a node not in sync fails the request.
healthy_and_verified() {
	local oos
	on hpms01 --timeout 700 cl_wait_healthy 600 || {
		echo "the cluster is not healthy 600 s after the restore"
		record healthy no
		return 1
	}
	oos=$(on hpms01 --timeout 700 cl_drbd_verify)
	echo "DRBD online verify: ${oos:-?} KiB out of sync"
	record verify_oos_kib "${oos:-?}"
	[ "${oos:-x}" = 0 ]
}

host_move() {
	local since
	since=$(on "$1" cl_now)
	on "$1" cl_move "$1" || return 1
	wait_promote "$1" "$since" 180
}
host_clear() {
	local since
	since=$(on "$1" cl_now)
	on "$1" cl_clear || return 1
	wait_promote "$1" "$since" 180 || return 1
	healthy_and_verified
}
host_portals() {
	local g=$1 up net
	case $2 in off) up=false ;; on) up=true ;; *) return 2 ;; esac
	for net in san1 san2; do
		qmp "$g" set_link "{\"name\": \"$net\", \"up\": $up}" || return 1
	done
	MARK=$(date +%s.%N)
	echo "$g's SAN links $2"
	[ "$2" = off ] || healthy_and_verified
}
host_replication() {
	local t0 end s1 g
	case $1 in
	off)
		qmp hpms02 set_link '{"name": "repl", "up": false}' || return 1
		t0=$(date +%s.%N)
		MARK=$t0
		echo "replication link down at hpms02"
		# hpms01's handler places the constraint and returns: its I/O
		# runs again, its peer's disk outdated
		end=$(( $(date +%s) + 180 ))
		until on hpms01 cl_drbd_resumed; do
			if [ "$(date +%s)" -ge "$end" ]; then
				echo "hpms01's I/O still frozen 180 s after the break"
				on hpms01 cl_drbd_state
				return 1
			fi
			sleep 0.5
		done
		s1=$(date +%s.%N)
		echo "hpms01's DRBD resumed I/O $(diff_s "$t0" "$s1") s after the break"
		record resumed_s "$(diff_s "$t0" "$s1")"
		# the loser (hpms02) is fenced or demoted before the link returns
		end=$(( $(date +%s) + 300 ))
		while vm_running hpms02 && ! on hpms01 cl_drbd_promoted_only hpms01; do
			if [ "$(date +%s)" -ge "$end" ]; then
				echo "hpms02 neither fenced nor demoted 300 s after the break"
				record loser_settled no
				return 1
			fi
			sleep 1
		done
		if vm_running hpms02; then
			echo "hpms02 demoted $(diff_s "$t0" "$(date +%s.%N)") s after the break"
			record loser_demoted_s "$(diff_s "$t0" "$(date +%s.%N)")"
		else
			echo "hpms02 fenced (its VM off) $(diff_s "$t0" "$(date +%s.%N)") s after the break"
			record loser_fenced_s "$(diff_s "$t0" "$(date +%s.%N)")"
		fi
		for g in hpms01 hpms02; do
			vm_running "$g" || continue
			echo "$g: $(on "$g" cl_drbd_state)"
			on "$g" cl_fence_peer_log | sed "s/^/$g: /"
		done
		return 0 ;;
	on)
		# a fenced node comes back with a new VM, its links up
		if vm_running hpms02; then
			qmp hpms02 set_link '{"name": "repl", "up": true}' || return 1
		fi
		MARK=$(date +%s.%N)
		echo "replication link up"
		for g in hpms01 hpms02; do
			vm_running "$g" && continue
			echo "$g was fenced: booting it"
			boot_node "$g" || return 1
		done
		healthy_and_verified ;;
	*) return 2 ;;
	esac
}
host_crash() {
	local g=$1 p since t0 tf
	p=$(peer_of "$g")
	since=$(on "$p" cl_now)
	if ! freeze_until_off "$g"; then
		MARK=$T_FREEZE
		echo "$g not fenced 180 s after it froze"
		record fenced no
		return 1
	fi
	t0=$T_FREEZE
	MARK=$t0
	echo "$g's VM powered off by $p's fence device $(diff_s "$t0" "$T_OFF") s after it froze"
	record freeze_to_power_off_s "$(diff_s "$t0" "$T_OFF")"
	if tf=$(on "$p" cl_fenced_at "$since" "$g") && [ -n "$tf" ]; then
		echo "Pacemaker on $p logged the fence $(diff_s "$t0" "$(host_t "$p" "$tf")") s after the freeze"
		record freeze_to_fence_logged_s "$(diff_s "$t0" "$(host_t "$p" "$tf")")"
	else
		echo "no fence of $g in Pacemaker's log on $p"
		record fence_logged no
		return 1
	fi
}
host_boot() {
	local g=$1 t0 tp
	t0=$(date +%s.%N)
	boot_node "$g" || return 1
	healthy_and_verified || return 1
	# the preferred node is promoted again: the cluster's own action
	[ "$g" = hpms01 ] && tp=$(on "$g" cl_promoted_at 0)
	if [ -n "$tp" ]; then
		MARK=$(host_t "$g" "$tp")
		echo "$g promoted $(diff_s "$t0" "$MARK") s after its VM started"
		record boot_to_promote_s "$(diff_s "$t0" "$MARK")"
	else
		MARK=$(date +%s.%N)
	fi
}

# serve FILE: one request; the answer written whole (a rename).
serve() {
	local f=$1 id scen conf rep verb rc=0 out mark=-
	local -a args
	id=${f##*/req.}
	read -r scen conf rep verb args_line < "$f"
	rm -f "$f"
	read -r -a args <<< "${args_line:-}"
	CTX="$scen	$conf	$rep"
	REQ="$verb ${args[*]}"
	MARK=
	out="$reqdir/.out.$id"
	say "request from the bench ($scen $conf rep $rep): $REQ"
	case $verb in
	move | clear | portals | replication | crash | boot)
		"host_$verb" "${args[@]}" > "$out" 2>&1 || rc=$? ;;
	*)	echo "unknown request '$verb'" > "$out"
		rc=64 ;;
	esac
	[ -n "$MARK" ] && mark=$(guest_t proxmox01 "$MARK")
	sed 's/^/#   /' "$out"
	say "answered: status $rc"
	{ echo "$rc $mark"; cat "$out"; } > "$reqdir/.rep.$id"
	rm -f "$out"
	mv "$reqdir/.rep.$id" "$reqdir/rep.$id"
}

for g in $CL_GUESTS; do clock_of "$g"; done
bench_log="$results/bench-guest.out"
say "pathwarden bench on proxmox01: ${PW_BENCH_REPS:-1} repetition(s), scenarios ${PW_BENCH_SCENARIOS:-all}; progress in $results/proxmox01/bench.out"
on proxmox01 --timeout "$((timeout_s - 600))" cl_bench > "$bench_log" 2>&1 &
bench_pid=$!
while kill -0 "$bench_pid" 2> /dev/null; do
	for f in "$reqdir"/req.*; do
		[ -e "$f" ] && serve "$f"
	done
	sleep 0.2
done
bench_rc=0
wait "$bench_pid" || bench_rc=$?
cat "$results/proxmox01/bench.out" 2> /dev/null
check "pathwarden bench: every repetition reached its states, no I/O error, no mismatch (exit $bench_rc)" \
	test "$bench_rc" = 0
out="$results/proxmox01/bench"
check "records written" test -s "$out/records.jsonl"
check "summary written" test -s "$out/summary.md"
check "a timeline per scenario" sh -c "ls '$out'/*.svg > /dev/null"
verified() { awk -F'\t' '$5 == "verify_oos_kib" { n++; if ($6 != "0") bad++ }
	END { exit !(n > 0 && !bad) }' "$checks"; }
check "every restore: DRBD online verify found 0 KiB out of sync ($(grep -c verify_oos "$checks") verifies)" verified
nofail() { ! awk -F'\t' '$6 == "no" { f = 1 } END { exit !f }' "$checks"; }
check "every crash fenced and logged by Pacemaker, every restore healthy" nofail
s1=$(on hpms01 cl_lun_sum)
s2=$(on hpms02 cl_lun_sum)
same_sum() { [ -n "$s1" ] && [ "$s1" = "$s2" ]; }
check "the load stopped: vg1/lun1 reads the same on both nodes ($s1)" same_sum
expand -t 16 "$checks" | sed 's/^/# /'
echo "1..$n"
[ "$failed" -eq 0 ]
