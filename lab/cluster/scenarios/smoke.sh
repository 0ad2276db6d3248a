# The cluster lab's smoke (sourced by lab/boot-cluster.sh once the cluster
# is healthy and the initiator is on 4 paths), with pathwarden's initiator
# configuration: under the verified load on proxmox01, one planned
# switchover by Pacemaker and back, then hpms01 frozen (a crash) so that
# Pacemaker on hpms02 fences it, the initiator going on through hpms02,
# hpms01 booted again and taken back, DRBD in sync; no I/O error, no
# mismatch, the volume the same on both nodes.  TAP; the figures in
# $results/smoke.tsv.

. "$LAB_DIR/cluster/host-lib.sh"

figure() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$results/smoke.tsv"; }
# window NAME FROM TO: an event's span on proxmox01's uptime; its slowest
# I/O is read once the load has ended (an I/O is logged when it completes:
# one still stalled at the event's end would be missed).
WINDOWS=()
window() { WINDOWS+=("$1|$2|$3"); }
printf 'event\tfigure\tseconds\n' > "$results/smoke.tsv"

for g in $CL_GUESTS; do clock_of "$g"; done
check "the initiator on pathwarden's configuration (login, daemon)" \
	on proxmox01 --timeout 400 lab_config pathwarden
check "ocf:pathwarden:alua promoted on hpms01 (the preferred node)" \
	on hpms01 cl_alua_promoted_on hpms01
check "the initiator's I/O goes to hpms01's paths" on proxmox01 cl_io_on hpms01
check "the load runs on the map" on proxmox01 cl_load_start

# switchover NAME TO COMMAND...: a change Pacemaker makes; the time from
# the ALUA agent's promote on TO (its log) to the initiator's I/O on TO,
# and the slowest I/O meanwhile.
switchover() {
	local name=$1 to=$2 since u0 u1 tio tp t0
	shift 2
	since=$(on "$to" cl_now)
	u0=$(on proxmox01 cl_uptime)
	t0=$(date +%s.%N)
	on hpms02 "$@" > /dev/null
	if ! tio=$(on proxmox01 cl_io_on_at "$to" 180); then
		not_ok "$name: I/O never reached $to"
		return 1
	fi
	tp=$(on "$to" cl_promoted_at "$since")
	u1=$(on proxmox01 cl_uptime)
	window "$name" "$u0" "$u1"
	local lat whole
	whole=$(diff_s "$t0" "$(host_t proxmox01 "$tio")")
	if [ -n "$tp" ]; then
		lat=$(diff_s "$(host_t "$to" "$tp")" "$(host_t proxmox01 "$tio")")
		ok "$name: I/O on $to ${lat} s after its promote (Pacemaker's command to I/O: ${whole} s)"
		figure "$name" promote_to_io "$lat"
	else
		not_ok "$name: no promote of $to in its journal (command to I/O: ${whole} s)"
	fi
	figure "$name" command_to_io "$whole"
}

# --- a planned switchover by Pacemaker, and back ------------------------
say "Pacemaker moves the promoted ALUA instance to hpms02"
switchover "switchover to hpms02" hpms02 cl_move hpms02
check "ocf:pathwarden:alua promoted on hpms02" on hpms02 cl_alua_promoted_on hpms02
say "the move cleared: back to the preferred node"
switchover "back to hpms01" hpms01 cl_clear
check "the load still runs" on proxmox01 cl_load_running

# --- hpms01 crashes; Pacemaker on hpms02 fences it -----------------------
say "hpms01 frozen (its VM stopped without warning)"
since=$(on hpms02 cl_now)
u0=$(on proxmox01 cl_uptime)
if freeze_until_off hpms01; then
	ok "hpms01 fenced: its VM powered off $(diff_s "$T_FREEZE" "$T_OFF") s after it froze"
	figure "crash of hpms01" freeze_to_power_off "$(diff_s "$T_FREEZE" "$T_OFF")"
else
	not_ok "hpms01 fenced (its VM powered off by hpms02's fence device)"
fi
t0=$T_FREEZE
tf=$(on hpms02 cl_fenced_at "$since" hpms01)
check "the fence is in Pacemaker's log (pacemaker-fenced: 'off' of hpms01 OK)" test -n "$tf"
on hpms02 cl_fence_history hpms01 > "$results/fence-history.txt" 2>&1
if tio=$(on proxmox01 cl_io_on_at hpms02 180); then
	ok "after the crash: I/O on hpms02 $(diff_s "$t0" "$(host_t proxmox01 "$tio")") s after the freeze"
	figure "crash of hpms01" freeze_to_io "$(diff_s "$t0" "$(host_t proxmox01 "$tio")")"
else
	not_ok "after the crash: I/O never reached hpms02"
fi
check "the load still runs" on proxmox01 cl_load_running
sleep 5
window "crash of hpms01" "$u0" "$(on proxmox01 cl_uptime)"
[ -n "$tf" ] && figure "crash of hpms01" freeze_to_fence "$(diff_s "$t0" "$(host_t hpms02 "$tf")")"

# --- hpms01 returns ---------------------------------------------------------
say "hpms01 boots again"
t0=$(date +%s.%N)
if boot_node hpms01; then
	ok "hpms01 back in the cluster"
else
	not_ok "hpms01 back in the cluster"
fi
check "cluster healthy again (DRBD resynced, promoted on both, targets up)" \
	on hpms02 --timeout 700 cl_wait_healthy 600
if tio=$(on proxmox01 cl_io_on_at hpms01 300); then
	tp=$(on hpms01 cl_promoted_at 0)
	figure "hpms01 returns" boot_to_io "$(diff_s "$t0" "$(host_t proxmox01 "$tio")")"
	if [ -n "$tp" ]; then
		ok "I/O back on hpms01 (the preferred node) $(diff_s "$(host_t hpms01 "$tp")" "$(host_t proxmox01 "$tio")") s after its promote, $(diff_s "$t0" "$(host_t proxmox01 "$tio")") s after its VM started"
		figure "hpms01 returns" promote_to_io "$(diff_s "$(host_t hpms01 "$tp")" "$(host_t proxmox01 "$tio")")"
	else
		not_ok "I/O back on hpms01, but no promote in its journal"
	fi
else
	not_ok "I/O never came back to hpms01"
fi

# --- nothing lost ---------------------------------------------------------
out=$(on proxmox01 --timeout 240 cl_load_end); rc=$?
echo "$out" | sed 's/^/# /'
check "no I/O error and every block reads back as written" test "$rc" = 0
for w in "${WINDOWS[@]}"; do
	IFS='|' read -r name a b <<< "$w"
	# to the end of the load: an I/O started in the window counts whole
	gap=$(on proxmox01 cl_max_gap "$a" - "$b")
	figure "$name" slowest_io "$gap"
	say "$name: the slowest I/O started in it took $gap s"
done
s1=$(on hpms01 cl_lun_sum)
s2=$(on hpms02 cl_lun_sum)
same_sum() { [ -n "$s1" ] && [ "$s1" = "$s2" ]; }
check "vg1/lun1 reads the same on both nodes ($s1)" same_sum
oos=$(on hpms01 --timeout 700 cl_drbd_verify)
check "DRBD online verify: ${oos:-?} KiB out of sync" test "${oos:-x}" = 0
expand -t 24 "$results/smoke.tsv" | sed 's/^/# /'

echo "1..$n"
[ "$failed" -eq 0 ]
