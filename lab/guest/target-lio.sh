# The lab's target side: two storage nodes as LIO iSCSI targets, set up
# through configfs only.  Sourced by the guest bring-up; every function here
# is the seam the agent (issue 4) replaces once it configures LIO itself.
#
# Topology (the seed's two nodes, each on its two networks):
#   node    target IQN                               portals
#   hpms01  iqn.2016-02.local.virtual:hpms01.vg1     127.1.1.1, 127.1.2.1
#   hpms02  iqn.2016-02.local.virtual:hpms02.vg1     127.2.1.1, 127.2.2.1
# Portal 127.N.M.1 is node N on network M (the seed's 192.168.122/152 nets).
# Each node is its own LIO fileio device (core/fileio_N/vg1), both on one
# image file (standing for the DRBD dual-primary volume) with the same unit
# serial, so all four paths report one WWID.  Each device carries both ALUA
# groups, as each SCST node does: its own group with its LUN as member and the
# peer's group empty.  group 1 "hpms01" starts active/optimized, group 2
# "hpms02" active/non-optimized.

LIO_CFS=/sys/kernel/config/target
LIO_IMAGE=${LIO_IMAGE:-/var/lib/pwlab/vg1.img}
LIO_SIZE_MB=${LIO_SIZE_MB:-128}
# Fixed so the WWID is the same in every run (LIO derives the NAA designator
# 36001405... from the hex digits of the serial).
LIO_SERIAL=${LIO_SERIAL:-5a1e7c3b-9d24-4f60-8b1a-2c7e0d9f4a11}
LIO_NODES="hpms01 hpms02"
LIO_MODULES="configfs target_core_mod target_core_file iscsi_target_mod"

lio_node_index() {
	case "$1" in
	hpms01) echo 1 ;; hpms02) echo 2 ;;
	*) echo "lio: unknown node '$1' (hpms01 or hpms02)" >&2; return 1 ;;
	esac
}
lio_iqn() { lio_node_index "$1" >/dev/null && echo "iqn.2016-02.local.virtual:$1.vg1"; }
lio_portals() {
	local n; n=$(lio_node_index "$1") || return 1
	echo "127.$n.1.1 127.$n.2.1"
}
lio_all_portals() { local n; for n in $LIO_NODES; do lio_portals "$n"; done | tr '\n' ' '; }
lio_dev() { local n; n=$(lio_node_index "$1") || return 1; echo "$LIO_CFS/core/fileio_$n/vg1"; }
lio_tpg() { echo "$LIO_CFS/iscsi/$(lio_iqn "$1")/tpgt_1"; }
# The ALUA group of each node has the node's name and index as its id.
lio_group_id() { lio_node_index "$1"; }

# ALUA state names (as the agent and SCST spell them) to SPC values.
lio_state_value() {
	case "$1" in
	ao|active|active/optimized|0)          echo 0 ;;
	ano|nonoptimized|active/nonoptimized|1) echo 1 ;;
	standby|2)                              echo 2 ;;
	unavailable|3)                          echo 3 ;;
	lba|lba_dependent|4)                    echo 4 ;;
	offline|14)                             echo 14 ;;
	transitioning|15)                       echo 15 ;;
	*) echo "lio: unknown ALUA state '$1'" >&2; return 1 ;;
	esac
}

lio_modules() {
	local m
	for m in $LIO_MODULES; do modprobe "$m" || return 1; done
	mountpoint -q /sys/kernel/config ||
		mount -t configfs configfs /sys/kernel/config || return 1
	[ -d "$LIO_CFS" ] || mkdir "$LIO_CFS"
}

# One node's device: the shared image, the shared serial, both ALUA groups.
lio_setup_device() {
	local node=$1 dev g
	dev=$(lio_dev "$node") || return 1
	mkdir -p "$dev"
	echo "fd_dev_name=$LIO_IMAGE,fd_dev_size=$((LIO_SIZE_MB * 1024 * 1024))" \
		> "$dev/control"
	# Before 'enable': without a unit serial the LU has no designator in
	# VPD 0x83, scsi_dh_alua does not attach and multipathd gets no WWID.
	echo "$LIO_SERIAL" > "$dev/wwn/vpd_unit_serial"
	echo 1 > "$dev/enable"
	for g in $LIO_NODES; do
		mkdir -p "$dev/alua/$g"
		lio_group_id "$g" > "$dev/alua/$g/tg_pt_gp_id"
		echo 1 > "$dev/alua/$g/alua_access_type"	# implicit ALUA
		echo 0 > "$dev/alua/$g/preferred"
	done
}

# One node's target: LUN 0 of its own device in its own group, two portals,
# no authentication, demo-mode ACLs (the lab has one initiator).
lio_setup_target() {
	local node=$1 tpg dev p
	tpg=$(lio_tpg "$node")
	dev=$(lio_dev "$node")
	mkdir -p "$tpg/lun/lun_0"
	ln -s "$dev" "$tpg/lun/lun_0/vg1"
	echo "$node" > "$tpg/lun/lun_0/alua_tg_pt_gp"
	for p in $(lio_portals "$node"); do
		mkdir "$tpg/np/$p:3260"
	done
	echo 0 > "$tpg/attrib/authentication"
	echo 1 > "$tpg/attrib/generate_node_acls"
	echo 1 > "$tpg/attrib/cache_dynamic_acls"
	echo 0 > "$tpg/attrib/demo_mode_write_protect"
	echo 1 > "$tpg/enable"
}

# The whole target side in its initial state.
lio_setup() {
	local n
	lio_modules || return 1
	mkdir -p "$(dirname "$LIO_IMAGE")"
	truncate -s "${LIO_SIZE_MB}M" "$LIO_IMAGE" || return 1
	for n in $LIO_NODES; do lio_setup_device "$n" || return 1; done
	lio_set_state hpms01 ao || return 1
	lio_set_state hpms02 ano || return 1
	for n in $LIO_NODES; do lio_setup_target "$n" || return 1; done
}

# lio_set_view_state VIEW GROUP STATE: write GROUP's state as node VIEW
# reports it (one node's configuration, as one SCST node's sysfs).  Changing a
# group with no local member raises no unit attention, as in SCST.
lio_set_view_state() {
	local view=$1 group=$2 v dev
	v=$(lio_state_value "$3") || return 1
	dev=$(lio_dev "$view") || return 1
	lio_node_index "$group" >/dev/null || return 1
	echo "$v" > "$dev/alua/$group/alua_access_state"
}

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

# lio_get_state VIEW GROUP: the SPC value node VIEW reports for GROUP.
lio_get_state() {
	local dev; dev=$(lio_dev "$1") || return 1
	sed -n '1p' "$dev/alua/$2/alua_access_state"
}

# lio_set_preferred GROUP 0|1 on both nodes.
lio_set_preferred() {
	local n
	for n in $LIO_NODES; do
		echo "$2" > "$(lio_dev "$n")/alua/$1/preferred" || return 1
	done
}

# lio_node_enable NODE 0|1: the node's target port group (tpgt_1) off or on.
# Off drops its sessions; re-login fails until it is back on.
lio_node_enable() { echo "$2" > "$(lio_tpg "$1")/enable"; }

# lio_portal_enable PORTAL 0|1: remove or re-create one network portal.
lio_portal_node() {
	local n p
	for n in $LIO_NODES; do
		for p in $(lio_portals "$n"); do
			[ "$p" = "$1" ] && { echo "$n"; return 0; }
		done
	done
	echo "lio: unknown portal '$1'" >&2
	return 1
}
lio_portal_enable() {
	local node np
	node=$(lio_portal_node "$1") || return 1
	np="$(lio_tpg "$node")/np/$1:3260"
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
	cat "$(lio_tpg "$1")/lun/lun_0/statistics/scsi_tgt_port/in_cmds"
}

# lio_teardown: remove the whole configuration (reverse order).
lio_teardown() {
	local n tpg dev p g
	for n in $LIO_NODES; do
		tpg=$(lio_tpg "$n")
		[ -d "$tpg" ] || continue
		echo 0 > "$tpg/enable" 2>/dev/null
		for p in "$tpg"/np/*; do [ -d "$p" ] && rmdir "$p"; done
		rm -f "$tpg/lun/lun_0/vg1"
		rmdir "$tpg/lun/lun_0" "$tpg" "$(dirname "$tpg")" 2>/dev/null
	done
	for n in $LIO_NODES; do
		dev=$(lio_dev "$n")
		[ -d "$dev" ] || continue
		for g in $LIO_NODES; do rmdir "$dev/alua/$g" 2>/dev/null; done
		rmdir "$dev" "$(dirname "$dev")" 2>/dev/null
	done
	return 0
}
