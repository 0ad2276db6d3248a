#!/bin/bash
# The cluster lab (LAB_TOPOLOGY=cluster): three VMs under qemu TCG on
# LAB_SUITE's cluster root (lab/suite-root.sh SUITE cluster), each with
# systemd as PID 1 -- hpms01 and hpms02 (storage nodes: DRBD, Corosync,
# Pacemaker, LIO) and proxmox01 (initiator) -- on three Ethernet segments
# the lab makes itself from qemu's multicast socket back-end on host
# loopback (127.0.0.1; nothing else of the host's network is used):
#   san1, san2   the seed's two portal networks (all three guests)
#   repl         DRBD replication and Corosync link 0 (the storage nodes)
# Each storage node has its own disk image (the DRBD backing device), a
# virtio serial port wired to the peer's qemu monitor (its fence device,
# lab/cluster/fence_pwlab), and every guest a qemu guest agent through which
# this script runs the lab's functions (lab/cluster/cctl).  Boots the three,
# builds the cluster (lab/cluster/cluster.sh), sources a host-side scenario,
# then powers all three off, on failure too, keeping every guest's journal,
# crm_mon and CIB with the results.
#
# Usage: lab/boot-cluster.sh [--results DIR] [--timeout SECS] SCENARIO
# LAB_CLUSTER_HOLD=SECS keeps the VMs up that long after the scenario (or a
# failure), for a look through lab/cluster/vmctl.py.
# Exit status: the scenario's; 1 the cluster did not come up; 2 a VM did
# not finish.
set -eu
. "$(dirname "$0")/lib.sh"

results="$LAB_BUILD/results/cluster"
timeout_s=1800
while [ $# -gt 0 ]; do
	case "$1" in
	--results) results=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	-*) lab_die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || lab_die "usage: lab/boot-cluster.sh [--results DIR] [--timeout S] SCENARIO"
scenario=$(realpath "$1")
[ -f "$scenario" ] || lab_die "no scenario $1"
[ -n "$LAB_SUITE" ] || lab_die "the cluster lab needs a suite's root (LAB_SUITE)"

LAB_ROOT_FLAVOR=cluster "$LAB_DIR/build-vm.sh"
. "$LAB_BUILD/vm-cluster.env"
case "$BUILD/" in
"$TREE"/*) ;;
*) lab_die "the cluster lab needs BUILD inside the checkout ($TREE)" ;;
esac
SUITE=$SUITE "$LAB_DIR/stage.sh" 1 || exit 1
stage="$LAB_BUILD/stage.tar"
command -v qemu-system-x86_64 >/dev/null || lab_die "qemu-system-x86_64 missing"

case "$results" in /*) ;; *) results="$PWD/$results" ;; esac
rm -rf "$results"
mkdir -p "$results"
results=$(realpath "$results")
# qemu's sockets: short paths (a unix socket's name has 108 bytes at most).
sockdir=$(mktemp -d /tmp/pwlab-cl.XXXXXX)
echo "$sockdir" > "$results/sockdir"

CL_GUESTS="hpms01 hpms02 proxmox01"
declare -A GIDX=([hpms01]=1 [hpms02]=2 [proxmox01]=3)
# A target node runs Corosync, Pacemaker, DRBD, LVM and LIO.  At 1 GiB
# hpms01 once died of a double fault in DRBD's worker (kmem_cache_alloc
# under tcp_sendmsg, an online verify under load); that memory was the
# cause is not proven, but room costs the host nothing under TCG.
declare -A MEM=([hpms01]=2048 [hpms02]=2048 [proxmox01]=1536)
declare -A QPID=()
# One multicast group per segment on host loopback, its port unique to this
# run, so two runs on one host never share a segment.
mport=$(( 20000 + (RANDOM % 10000) * 3 ))
declare -A NETNO=([san1]=1 [san2]=2 [repl]=3)

# guest_argv NAME: qemu's command line for one guest, in QEMU_ARGV.
guest_argv() {
	local g=$1 i=${GIDX[$1]} net peer
	local res="$results/$g"
	QEMU_ARGV=(qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m "${MEM[$g]}"
		-name "$g" -no-reboot -nodefaults -display none
		-kernel "$KERNEL" -initrd "$INITRD"
		-append "console=ttyS0 panic=-1 mitigations=off quiet loglevel=4 pw.init=$LAB_DIR/guest/init.sh pw.tree=$TREE pw.systemd=1"
		-virtfs "local,path=$ROOTDIR,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
		-virtfs "local,path=$TREE,mount_tag=tree,security_model=none,readonly=on,multidevs=remap"
		-virtfs "local,path=$res,mount_tag=results,security_model=none"
		# appended: a node booted again keeps its fenced boot's console
		-chardev "file,id=con,path=$res/console.log,append=on"
		-serial chardev:con
		-chardev "socket,id=qmp,path=$sockdir/$g.qmp,server=on,wait=off"
		-mon chardev=qmp,mode=control
		-device virtio-serial-pci,id=vser
		-chardev "socket,id=qga,path=$sockdir/$g.qga,server=on,wait=off"
		-device virtserialport,bus=vser.0,chardev=qga,name=org.qemu.guest_agent.0)
	for net in san1 san2 repl; do
		[ "$net" = repl ] && [ "$g" = proxmox01 ] && continue
		QEMU_ARGV+=(-netdev "socket,id=$net,mcast=239.255.77.${NETNO[$net]}:$((mport + NETNO[$net])),localaddr=127.0.0.1"
			-device "virtio-net-pci,netdev=$net,mac=$(printf '52:54:00:%02x:%02x:01' "$i" "${NETNO[$net]}")")
	done
	if [ "$g" != proxmox01 ]; then
		peer=hpms01
		[ "$g" = hpms01 ] && peer=hpms02
		QEMU_ARGV+=(-drive "file=$LAB_BUILD/cluster/$g.img,format=raw,if=virtio,cache=writeback"
			# the monitor the peer's fence agent powers this VM off through
			-chardev "socket,id=fmon,path=$sockdir/$g.fence,server=on,wait=off"
			-mon chardev=fmon,mode=control
			# this node's fence device: the peer's monitor
			-chardev "socket,id=fpeer,path=$sockdir/$peer.fence,reconnect=1"
			-device "virtserialport,bus=vser.0,chardev=fpeer,name=pw.fence.$peer")
	fi
}

# vm_start NAME: boot one guest (again: a fenced node comes back this way,
# with its disk as the fence left it).
vm_start() {
	local g=$1 res="$results/$1"
	mkdir -p "$res/logs"
	rm -f "$res/ready" "$res/stop" "$res/rc"
	cat > "$res/guest.env" <<ENV
PW_TREE='$TREE'
PW_BUILD='$BUILD'
PW_STAGE='$stage'
PW_ENTRY='$LAB_DIR/cluster/node.sh'
PW_TIMEOUT='$((timeout_s - 60))'
PW_INTERACTIVE=0
PW_SUITE='$SUITE'
PW_NODE='$g'
PW_LAB_ISCSI_TIMEOUT='${PW_LAB_ISCSI_TIMEOUT:-40}'
ENV
	for v in $(compgen -e | grep -E '^PW_(E2E|LAB|BENCH)_' || true); do
		printf '%s=%q\n' "$v" "${!v}" >> "$res/guest.env"
	done
	guest_argv "$g"
	setsid "${QEMU_ARGV[@]}" </dev/null >>"$res/qemu.log" 2>&1 &
	QPID[$g]=$!
	echo "${QPID[$g]}" > "$sockdir/$g.pid"
}
vm_running() { [ -n "${QPID[$1]:-}" ] && kill -0 "${QPID[$1]}" 2>/dev/null; }

# vm_ready NAME SECS: wait for the guest's own set-up (lab/cluster/node.sh).
vm_ready() {
	local g=$1 end=$(( $(date +%s) + $2 ))
	while [ "$(date +%s)" -lt "$end" ]; do
		case "$(cat "$results/$g/ready" 2>/dev/null)" in
		ok) return 0 ;;
		failed) lab_say "error: $g: its set-up failed; see $results/$g/entry.out"
			return 1 ;;
		esac
		vm_running "$g" || { lab_say "error: $g: its VM exited; console: $results/$g/console.log"
			return 1; }
		sleep 1
	done
	lab_say "error: $g not ready after $2 s; console: $results/$g/console.log"
	tail -n 5 "$results/$g/entry.out" 2>/dev/null | sed 's/^/lab:   | /' >&2
	return 1
}

# on NAME [--timeout S] FUNCTION ARGS...: a lab function in guest NAME,
# through its guest agent; its output here, its exit status ours.
on() {
	local g=$1 t=300 cmd
	shift
	[ "$1" = --timeout ] && { t=$2; shift 2; }
	cmd=$(printf '%q ' "$LAB_DIR/cluster/cctl" "$@")
	"$LAB_DIR/cluster/vmctl.py" exec "$sockdir/$g.qga" "$t" "$cmd"
}
# qmp NAME COMMAND [JSON]: one command on guest NAME's qemu monitor.
qmp() {
	local g=$1
	shift
	"$LAB_DIR/cluster/vmctl.py" qmp "$sockdir/$g.qmp" "$@" >/dev/null
}

say() { echo "# [$(date +%T)] $*"; }

# power_off_all: every guest collects and powers off; after 120 s the
# remaining qemus are killed.  Always runs (EXIT trap).
power_off_all() {
	local g end
	set +e		# a VM exiting under our kill must not abort the trap
	[ -z "${host_wd:-}" ] || kill "$host_wd" 2> /dev/null
	if [ -n "${LAB_CLUSTER_HOLD:-}" ]; then
		# A look inside before the power-off: lab/cluster/vmctl.py on
		# the sockets in $results/sockdir; touch $results/release.
		lab_say "holding the VMs up to ${LAB_CLUSTER_HOLD} s: touch $results/release"
		end=$(( $(date +%s) + LAB_CLUSTER_HOLD ))
		while [ ! -e "$results/release" ] && [ "$(date +%s)" -lt "$end" ]; do
			sleep 2
		done
	fi
	for g in $CL_GUESTS; do
		[ -d "$results/$g" ] && : > "$results/$g/stop"
	done
	end=$(( $(date +%s) + 120 ))
	for g in $CL_GUESTS; do
		while vm_running "$g" && [ "$(date +%s)" -lt "$end" ]; do
			sleep 1
		done
		if vm_running "$g"; then
			lab_say "$g did not power off: killed"
			kill -TERM "${QPID[$g]}" 2>/dev/null
			sleep 1
			kill -KILL "${QPID[$g]}" 2>/dev/null
		fi
	done
	rm -rf "$sockdir"
}
trap power_off_all EXIT
trap 'exit 130' INT TERM HUP
# The whole run's bound on the host (the guests' watchdogs power them off
# a minute earlier): exit 2, as when a VM does not finish.
trap 'lab_say "error: the cluster lab still running after ${timeout_s} s: stopped"; exit 2' USR1
( sleep "$timeout_s"; kill -USR1 $$ ) > /dev/null 2>&1 &
host_wd=$!

# --- boot ---------------------------------------------------------------
mkdir -p "$LAB_BUILD/cluster"
for g in hpms01 hpms02; do
	rm -f "$LAB_BUILD/cluster/$g.img"
	truncate -s 320M "$LAB_BUILD/cluster/$g.img"
done
t0=$(date +%s.%N)
for g in $CL_GUESTS; do
	vm_start "$g"
done
for g in $CL_GUESTS; do
	vm_ready "$g" 900 || exit 1
done
boot_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
say "three guests up in ${boot_s} s"
echo "$boot_s" > "$results/boot-seconds"

# --- the cluster --------------------------------------------------------
cluster_step() {	# NAME COMMAND...
	local name=$1 ts logf
	shift
	logf="$results/step-$(echo "$name" | tr -c 'A-Za-z0-9_\n-' '-').log"
	ts=$(date +%s.%N)
	if "$@" > "$logf" 2>&1; then
		say "$name: done in $(awk -v a="$ts" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
		return 0
	fi
	lab_say "error: cluster step '$name' failed; log: $logf"
	tail -n 20 "$logf" | sed 's/^/lab:   | /' >&2
	return 1
}
both() { on hpms01 "$@" && on hpms02 "$@"; }
cl_build() {
	cluster_step "DRBD metadata" both cl_drbd_init &&
	cluster_step "DRBD seeded, vg1/lun1 made" on hpms01 cl_drbd_seed &&
	cluster_step "DRBD handed to Pacemaker" both cl_drbd_down &&
	cluster_step "corosync and pacemaker" both cl_cluster_start &&
	cluster_step "the CIB" on hpms01 cl_cib &&
	cluster_step "cluster healthy" on hpms01 --timeout 400 cl_wait_healthy 360 &&
	cluster_step "initiator: iscsid" on proxmox01 ini_iscsid &&
	cluster_step "initiator: logins" on proxmox01 cl_ini_login &&
	cluster_step "initiator: multipathd" on proxmox01 cl_ini_multipath
}
t1=$(date +%s.%N)
if ! cl_build; then
	on hpms01 cl_crm_mon > "$results/crm_mon-failed.txt" 2>&1 || true
	exit 1
fi
up_s=$(awk -v a="$t1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
say "cluster healthy and the initiator on 4 paths ${up_s} s after boot"
echo "$up_s" > "$results/cluster-seconds"

# --- the scenario -------------------------------------------------------
rc=0
# shellcheck source=/dev/null
. "$scenario" || rc=$?
echo "$rc" > "$results/rc"
exit "$rc"
