# The lab's target side: two storage nodes as LIO iSCSI targets, set up
# through configfs only.  Sourced by the guest bring-up; every function here
# is the seam the agent (issue 4) replaces once it configures LIO itself.
#
# Topology (the seed's two nodes, each on its two networks):
#   node    target IQN                               portals
#   hpms01  iqn.2016-02.local.virtual:hpms01.vg1     127.1.1.1, 127.1.2.1
#   hpms02  iqn.2016-02.local.virtual:hpms02.vg1     127.2.1.1, 127.2.2.1
# Portal 127.N.M.1 is node N on network M (the seed's 192.168.122/152 nets).
# Each node is its own LIO fileio device (core/fileio_N/vg1; iblock_N with
# PW_LAB_BACKSTORE=dm, below), both on one image file (standing for the
# DRBD dual-primary volume) with the same unit serial, so all four paths
# report one WWID.  Each device carries both ALUA
# groups, as each SCST node does: its own group with its LUN as member and the
# peer's group.  group 1 "hpms01" starts active/optimized, group 2 "hpms02"
# active/non-optimized.
#
# LIO (6.1) leaves groups with no member out of its RTPG answer, where SCST
# lists the remote group with its remote targets' relative ids.  So each
# device also exports its LUN through a stand-in target for the peer's port
# (iqn...:<node>.vg1.peer-<peer>: no portal, never enabled, no session) that
# is the peer group's only member: RTPG on either node then lists both
# groups, and a state change on the peer group reaches no session, so it
# raises no unit attention, as in SCST.  LUNs are added in node order on
# every device, so relative target port 1 is hpms01's port and 2 hpms02's on
# both nodes.

LIO_CFS=/sys/kernel/config/target
LIO_IMAGE=${LIO_IMAGE:-/var/lib/pwlab/vg1.img}
LIO_SIZE_MB=${LIO_SIZE_MB:-128}
# Fixed so the WWID is the same in every run (LIO derives the NAA designator
# 36001405... from the hex digits of the serial).
LIO_SERIAL=${LIO_SERIAL:-5a1e7c3b-9d24-4f60-8b1a-2c7e0d9f4a11}
LIO_NODES="hpms01 hpms02"
LIO_MODULES="configfs target_core_mod target_core_file iscsi_target_mod"
# [scale]: PW_LAB_LUNS LUNs (make ... LAB_LUNS=N), each one LU across both
# nodes as in the seed: LUN k-1 of every target, device vgK of each node
# (vg1 is the one LUN of the default lab), image vgK.img, its own serial
# and so its own WWID.  Every state change covers all of a node's LUNs in
# one agent run (--device HBA), as an SCST device group does.
LIO_LUNS=${PW_LAB_LUNS:-1}
# PW_LAB_BACKSTORE=dm (make soak): each LUN's image behind a loop device
# and, per node, a device-mapper map over it, pwlab-vgK-N, which
# fault_backstore_slow turns into a dm-delay map and back while LIO serves
# it (a DRBD volume whose replication link is congested), served by LIO's
# iblock: the seed's SCST nodes use vdisk_blockio, a block device whose
# I/O the target submits and does not wait for (iblock opens its device
# exclusively, hence a map per node; dm's linear maps share the loop
# device and no cache, so both nodes see one volume).  dm-fileio: one map
# pwlab-vgK under LIO's fileio on both nodes, which runs a command's I/O
# in the connection's receive thread (the soak of 2026-12-07: a stalled
# backstore held the NOP-Outs back and dropped the sessions).  The
# default, file, gives LIO's fileio the image itself.
LIO_BACKSTORE=${PW_LAB_BACKSTORE:-file}
case "$LIO_BACKSTORE" in
file | dm-fileio) LIO_HBA=fileio ;;
dm) LIO_HBA=iblock LIO_MODULES+=" target_core_iblock" ;;
*) echo "lio: PW_LAB_BACKSTORE must be file, dm or dm-fileio, not '$LIO_BACKSTORE'" >&2
   LIO_BACKSTORE=file LIO_HBA=fileio ;;
esac
case "$LIO_LUNS" in
[1-9] | [1-9][0-9] | 1[01][0-9] | 12[0-8]) ;;
*) echo "lio: PW_LAB_LUNS must be 1 to 128, not '$LIO_LUNS'" >&2
   LIO_LUNS=1 ;;
esac
# lio_lun_serial K: LUN 1 keeps the lab's serial (its WWID is in tests);
# the others differ in the first hex digits, which LIO's NAA takes.
lio_lun_serial() {
	if [ "$1" -eq 1 ]; then
		echo "$LIO_SERIAL"
	else
		printf '%08x%s\n' "$1" "${LIO_SERIAL#????????}"
	fi
}

# Names to paths without a subshell per lookup: under TCG every fork costs
# tens of milliseconds, and fault injectors must act fast to be timed.
declare -A LIO_IDX=([hpms01]=1 [hpms02]=2)
declare -A LIO_IQN LIO_PORTALS LIO_DEV LIO_TPG
for _n in $LIO_NODES; do
	LIO_IQN[$_n]="iqn.2016-02.local.virtual:$_n.vg1"
	LIO_PORTALS[$_n]="127.${LIO_IDX[$_n]}.1.1 127.${LIO_IDX[$_n]}.2.1"
	LIO_DEV[$_n]="$LIO_CFS/core/${LIO_HBA}_${LIO_IDX[$_n]}/vg1"
	LIO_TPG[$_n]="$LIO_CFS/iscsi/${LIO_IQN[$_n]}/tpgt_1"
done
unset _n

lio_check_node() {
	[ -n "${LIO_IDX[$1]:-}" ] && return 0
	echo "lio: unknown node '$1' (hpms01 or hpms02)" >&2
	return 1
}
lio_node_index() { lio_check_node "$1" && echo "${LIO_IDX[$1]}"; }
lio_iqn() { lio_check_node "$1" && echo "${LIO_IQN[$1]}"; }
lio_portals() { lio_check_node "$1" && echo "${LIO_PORTALS[$1]}"; }
lio_all_portals() { local n; for n in $LIO_NODES; do echo -n "${LIO_PORTALS[$n]} "; done; echo; }
lio_dev() { lio_check_node "$1" && echo "${LIO_DEV[$1]}"; }
lio_tpg() { lio_check_node "$1" && echo "${LIO_TPG[$1]}"; }
# lio_standin_tpg NODE PEER: on NODE's device, the stand-in for PEER's port.
lio_standin_tpg() { echo "$LIO_CFS/iscsi/${LIO_IQN[$1]}.peer-$2/tpgt_1"; }

# lio_peer NODE: the other node, in LIO_PEER (no subshell).
lio_peer() {
	local n
	for n in $LIO_NODES; do
		[ "$n" = "$1" ] || { LIO_PEER=$n; return 0; }
	done
	return 1
}

# lio_agent NODE ARGS...: pathwarden-agent as it runs on NODE: LIO backend,
# NODE's own device (its view of both groups), NODE's group local, the
# peer's remote.  Every ALUA state the lab sets goes through here, so the
# lab's target configuration is the agent's, as in production.
PW_AGENT=${PW_AGENT:-pathwarden-agent}
lio_agent() {
	local node=$1 dev
	shift
	lio_check_node "$node" && lio_peer "$node" || return 1
	dev=${LIO_HBA}_${LIO_IDX[$node]}
	[ "$LIO_LUNS" -gt 1 ] || dev=$dev/vg1
	"$PW_AGENT" -b lio -q -d "$dev" -l "$node" -R "$LIO_PEER" "$@"
}

lio_modules() {
	local m
	for m in $LIO_MODULES; do modprobe "$m" || return 1; done
	mountpoint -q /sys/kernel/config ||
		mount -t configfs configfs /sys/kernel/config || return 1
	[ -d "$LIO_CFS" ] || mkdir "$LIO_CFS"
}

# lio_lun_image K: LUN K's image file (LUN 1's is LIO_IMAGE).
lio_lun_image() {
	if [ "$1" -eq 1 ]; then
		echo "$LIO_IMAGE"
	else
		echo "${LIO_IMAGE%/*}/vg$1.img"
	fi
}

# lio_lun_backing K NODE: what NODE's device of LUN K opens: the image,
# or with a dm backstore the map over it.
lio_lun_backing() {
	case "$LIO_BACKSTORE" in
	dm) echo "/dev/mapper/pwlab-vg$1-${LIO_IDX[$2]}" ;;
	dm-fileio) echo "/dev/mapper/pwlab-vg$1" ;;
	*) lio_lun_image "$1" ;;
	esac
}

# lio_backstore_dm K: LUN K's image on a loop device under a linear map
# per node (dm) or one for both (dm-fileio); multipathd's default
# blacklist skips loop and dm devices.
lio_backstore_dm() {
	local img loop n m
	img=$(lio_lun_image "$1")
	modprobe loop && modprobe dm-delay || return 1
	loop=$(losetup -f --show "$img") || return 1
	for n in $LIO_NODES; do
		m=$(lio_lun_backing "$1" "$n")
		# dm-fileio: both nodes name the one map
		dmsetup info "${m#/dev/mapper/}" > /dev/null 2>&1 ||
			dmsetup create "${m#/dev/mapper/}" \
				--table "0 $(blockdev --getsz "$loop") linear $loop 0" ||
			return 1
	done
	udevadm settle --timeout=30
	for n in $LIO_NODES; do
		[ -b "$(lio_lun_backing "$1" "$n")" ] || return 1
	done
}

# One node's device of LUN K (default 1): the LUN's shared image, its
# shared serial, both ALUA groups.
lio_setup_device() {
	local node=$1 k=${2:-1} dev g
	lio_check_node "$node" || return 1
	dev=${LIO_DEV[$node]%/*}/vg$k
	mkdir -p "$dev"
	if [ "$LIO_HBA" = iblock ]; then
		echo "udev_path=$(lio_lun_backing "$k" "$node")" > "$dev/control"
	else
		echo "fd_dev_name=$(lio_lun_backing "$k" "$node"),fd_dev_size=$((LIO_SIZE_MB * 1024 * 1024))" \
			> "$dev/control"
	fi
	# Before 'enable': without a unit serial the LU has no designator in
	# VPD 0x83, scsi_dh_alua does not attach and multipathd gets no WWID.
	lio_lun_serial "$k" > "$dev/wwn/vpd_unit_serial"
	echo 1 > "$dev/enable"
	for g in $LIO_NODES; do
		mkdir -p "$dev/alua/$g"
		echo "${LIO_IDX[$g]}" > "$dev/alua/$g/tg_pt_gp_id"
		echo 1 > "$dev/alua/$g/alua_access_type"	# implicit ALUA
		echo 0 > "$dev/alua/$g/preferred"
		# LIO's default leaves LBA-dependent out of the supported
		# states; the state walk (lab-alua-states.sh) sets it.
		echo 1 > "$dev/alua/$g/alua_support_lba_dependent"
	done
}

# One node's target: LUN 0 of its own device in its own group, two portals,
# no authentication, demo-mode ACLs (the lab has one initiator).
lio_setup_target() {
	local node=$1 tpg p
	tpg=${LIO_TPG[$node]}
	lio_setup_luns "$tpg" "$node" "$node" || return 1
	for p in ${LIO_PORTALS[$node]}; do
		mkdir "$tpg/np/$p:3260"
	done
	echo 0 > "$tpg/attrib/authentication"
	echo 1 > "$tpg/attrib/generate_node_acls"
	echo 1 > "$tpg/attrib/cache_dynamic_acls"
	echo 0 > "$tpg/attrib/demo_mode_write_protect"
}

# lio_setup_luns TPG NODE GROUP: LUN k-1 of TPG is NODE's device of LUN
# k, a member of GROUP, for every LUN.
lio_setup_luns() {
	local tpg=$1 node=$2 group=$3 k lun
	for ((k = 1; k <= LIO_LUNS; k++)); do
		lun=$tpg/lun/lun_$((k - 1))
		mkdir -p "$lun" &&
			ln -s "${LIO_DEV[$node]%/*}/vg$k" "$lun/vg$k" &&
			echo "$group" > "$lun/alua_tg_pt_gp" || return 1
	done
}

# The stand-in for PEER's port on NODE's device (see the top of this file).
lio_setup_standin() {
	local node=$1 peer=$2
	lio_setup_luns "$(lio_standin_tpg "$node" "$peer")" "$node" "$peer"
}

# The whole target side in its initial state.
lio_setup() {
	local n p k
	lio_modules || return 1
	mkdir -p "$(dirname "$LIO_IMAGE")"
	for ((k = 1; k <= LIO_LUNS; k++)); do
		truncate -s "${LIO_SIZE_MB}M" "$(lio_lun_image "$k")" || return 1
		[ "$LIO_BACKSTORE" = file ] || lio_backstore_dm "$k" || return 1
		for n in $LIO_NODES; do
			lio_setup_device "$n" "$k" || return 1
		done
	done
	for n in $LIO_NODES; do
		for p in $LIO_NODES; do		# node order: RTPI k is node k's port
			if [ "$p" = "$n" ]; then
				lio_setup_target "$n" || return 1
			else
				lio_setup_standin "$n" "$p" || return 1
			fi
		done
	done
	# The initial states as a cluster manager sets them: hpms01 master.
	lio_promote hpms01 || return 1
	for n in $LIO_NODES; do lio_node_enable "$n" 1 || return 1; done
}

# lio_set_view_state VIEW GROUP STATE: write GROUP's state as node VIEW
# reports it (one node's configuration, as one SCST node's sysfs).  Changing a
# group with no local member raises no unit attention, as in SCST.
lio_set_view_state() { lio_agent "$1" set-state "$2" "$3"; }

# lio_set_state GROUP STATE: GROUP's state on both nodes, consistently (what
# a cluster manager keeps right on each node).  The node owning the group
# goes first, as its change is the one that raises the unit attention.
lio_set_state() {
	local group=$1 state=$2 n
	lio_set_view_state "$group" "$group" "$state" || return 1
	for n in $LIO_NODES; do
		[ "$n" = "$group" ] && continue
		lio_set_view_state "$n" "$group" "$state" || return 1
	done
}

# lio_promote NODE: what Pacemaker does with ocf:pathwarden:alua when NODE
# becomes master: demote the old master (its group non-optimized), promote
# NODE (its group optimized, the peer's non-optimized), then the post-promote
# notification tells the peer that NODE's group is now optimized.  Each
# node's agent writes only its own view.
lio_promote() {
	local node=$1
	lio_check_node "$node" && lio_peer "$node" || return 1
	local peer=$LIO_PEER
	lio_agent "$peer" demote || return 1
	# Just before the new master's agent writes its group optimized:
	# the change a switchover time counts from ...
	mkdir -p /run/pwlab
	echo "$EPOCHREALTIME" > /run/pwlab/promoted.t
	[ -z "${PW_BENCH_MARK:-}" ] || cp /run/pwlab/promoted.t "$PW_BENCH_MARK"
	lio_agent "$node" promote || return 1
	# ... and when the agent had set every LUN's group on the new
	# master (with N LUNs its own run takes a while).
	echo "$EPOCHREALTIME" > /run/pwlab/promoted-end.t
	lio_agent "$peer" set-state "$node" active
}

# lio_get_state VIEW GROUP: the SPC value node VIEW reports for GROUP.
lio_get_state() {
	lio_check_node "$1" || return 1
	local v
	read -r v < "${LIO_DEV[$1]}/alua/$2/alua_access_state" && echo "$v"
}

# lio_set_preferred GROUP 0|1 on both nodes, every LUN.
lio_set_preferred() {
	local n dev
	for n in $LIO_NODES; do
		for dev in "${LIO_DEV[$n]%/*}"/vg*; do
			echo "$2" > "$dev/alua/$1/preferred" || return 1
		done
	done
}

# lio_node_enable NODE 0|1: the node's target port group (tpgt_1) off or on.
# Off drops its sessions; re-login fails until it is back on.
lio_node_enable() { lio_check_node "$1" && echo "$2" > "${LIO_TPG[$1]}/enable"; }

# lio_portal_enable PORTAL 0|1: remove or re-create one network portal.
# lio_portal_node PORTAL: sets LIO_NODE to the node that owns PORTAL.
lio_portal_node() {
	local n p
	for n in $LIO_NODES; do
		for p in ${LIO_PORTALS[$n]}; do
			[ "$p" = "$1" ] && { LIO_NODE=$n; return 0; }
		done
	done
	echo "lio: unknown portal '$1'" >&2
	return 1
}
lio_portal_enable() {
	local np
	lio_portal_node "$1" || return 1
	np="${LIO_TPG[$LIO_NODE]}/np/$1:3260"
	if [ "$2" = 1 ]; then
		[ -d "$np" ] || mkdir "$np"
	else
		[ -d "$np" ] && rmdir "$np"
	fi
	return 0
}

# lio_in_cmds NODE: SCSI commands the node's LUN 0 received so far.
# configfs caches a value per open file: this opens it anew on every call.
lio_in_cmds() {
	local v
	lio_check_node "$1" || return 1
	read -r v < "${LIO_TPG[$1]}/lun/lun_0/statistics/scsi_tgt_port/in_cmds" &&
		echo "$v"
}

# lio_teardown: remove the whole configuration (reverse order).
lio_teardown() {
	local n p tpg dev g
	for n in $LIO_NODES; do
		for tpg in "$(lio_tpg "$n")" $(for p in $LIO_NODES; do
				[ "$p" = "$n" ] || lio_standin_tpg "$n" "$p"; done); do
			[ -d "$tpg" ] || continue
			echo 0 > "$tpg/enable" 2>/dev/null
			for p in "$tpg"/np/*; do [ -d "$p" ] && rmdir "$p"; done
			for p in "$tpg"/lun/lun_*; do
				[ -d "$p" ] || continue
				rm -f "$p"/vg*
				rmdir "$p" 2>/dev/null
			done
			rmdir "$tpg" "$(dirname "$tpg")" 2>/dev/null
		done
	done
	for n in $LIO_NODES; do
		for dev in "${LIO_DEV[$n]%/*}"/vg*; do
			[ -d "$dev" ] || continue
			for g in $LIO_NODES; do rmdir "$dev/alua/$g" 2>/dev/null; done
			rmdir "$dev" 2>/dev/null
		done
		rmdir "${LIO_DEV[$n]%/*}" 2>/dev/null
	done
	local t
	local -A loops=()
	for dev in /dev/mapper/pwlab-vg*; do
		[ -b "$dev" ] || continue
		t=$(dmsetup table "${dev##*/}") && dmsetup remove "${dev##*/}" &&
			loops[$(echo "$t" | awk '{ print $4 }')]=1
	done
	# Two maps over one loop device with the dm backstore: each once.
	for dev in "${!loops[@]}"; do
		losetup -d "/dev/block/$dev"
	done
	return 0
}
