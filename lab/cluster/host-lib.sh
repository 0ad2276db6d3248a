# The cluster lab's host-side helpers for its scenarios (sourced by
# lab/cluster/scenarios/*.sh, themselves sourced by lab/boot-cluster.sh):
# TAP lines, and each guest's clock against the host's.
#
# Times across guests: each guest's clock against the host's (vmctl.py
# clock, error under half a guest-agent round trip), so a moment in
# Pacemaker's log on one node and one on the initiator compare.

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }

declare -A OFF
clock_of() {
	local o
	unset "OFF[$1]"
	o=$("$LAB_DIR/cluster/vmctl.py" clock "$sockdir/$1.qga") || {
		say "no clock from $1: its times are left out"
		OFF[$1]=nan
		return 1
	}
	OFF[$1]=${o%% *}
	say "$1's clock: ${o%% *} s from the host's (round trip ${o##* } s)"
}
# host_t NODE T: NODE's clock reading T on the host's clock; guest_t NODE T
# the host's clock reading T on NODE's.
host_t() { awk -v t="$2" -v o="${OFF[$1]}" 'BEGIN { printf "%.3f", t - o }'; }
guest_t() { awk -v t="$2" -v o="${OFF[$1]}" 'BEGIN { printf "%.3f", t + o }'; }
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# freeze_until_off NODE: NODE's VM frozen without warning (a crash), then
# wait up to 180 s for its peer's fence to power it off.  T_FREEZE and
# T_OFF on the host's clock; false when the VM is still there.
freeze_until_off() {
	local end
	T_FREEZE=$(date +%s.%N)
	qmp "$1" stop || return 1
	end=$(( $(date +%s) + 180 ))
	while vm_running "$1" && [ "$(date +%s)" -lt "$end" ]; do sleep 0.2; done
	T_OFF=$(date +%s.%N)
	! vm_running "$1"
}

# boot_node NODE: boot a fenced node again and have it rejoin the cluster;
# its clock is read anew (a new VM starts from the RTC).
boot_node() {
	vm_start "$1"
	vm_ready "$1" 900 && on "$1" cl_cluster_start || return 1
	clock_of "$1"
	return 0
}
