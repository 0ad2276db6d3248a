# Made-up SCST sysfs and LIO configfs trees for the agent's shell tests.
# Sourced, not run.  The layout and the value formats follow the kernel
# code (scst_sysfs.c, target_core_configfs.c): SCST values end with a
# "[key]" line where SCST prints one; LIO states are numbers.

# put FILE TEXT: write TEXT and a newline
put() {
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$2" > "$1"
}

# mk_scst ROOT [LOCAL_STATE REMOTE_STATE]: hpms01's view of the seed's
# cluster: device group esos, local group "local" (id 1) with hpms01's
# target, remote group "remote" (id 2) listing hpms02's target by id.
mk_scst() {
	r=$1; ls_=${2:-nonoptimized}; rs_=${3:-active}
	t1=iqn.2016-02.local.virtual:hpms01.vg1
	t2=iqn.2016-02.local.virtual:hpms02.vg1
	mkdir -p "$r/targets/iscsi/$t1" "$r/devices/vg1"
	printf '1\n[key]\n' > "$r/targets/iscsi/$t1/rel_tgt_id"
	put "$r/targets/iscsi/$t1/enabled" 1
	dg=$r/device_groups/esos
	mkdir -p "$dg/devices" "$dg/target_groups"
	ln -s ../../../devices/vg1 "$dg/devices/vg1"
	put "$dg/target_groups/mgmt" "Usage: echo \"add group_name\" >mgmt"
	tg=$dg/target_groups/local
	mkdir -p "$tg"
	printf '1\n[key]\n' > "$tg/group_id"
	printf '0\n' > "$tg/preferred"
	printf '%s\n[key]\n' "$ls_" > "$tg/state"
	put "$tg/mgmt" "Usage: echo \"add target_name\" >mgmt"
	ln -s "../../../../targets/iscsi/$t1" "$tg/$t1"
	tg=$dg/target_groups/remote
	mkdir -p "$tg/$t2"
	printf '2\n[key]\n' > "$tg/group_id"
	printf '0\n' > "$tg/preferred"
	printf '%s\n[key]\n' "$rs_" > "$tg/state"
	put "$tg/mgmt" "Usage: echo \"add target_name\" >mgmt"
	printf '2\n[key]\n' > "$tg/$t2/rel_tgt_id"
}

# scst_state ROOT GROUP: the state word of an SCST group
scst_state() {
	head -n 1 "$1/device_groups/esos/target_groups/$2/state"
}

# mk_lio_group DEVDIR NAME ID STATE [MEMBER]
mk_lio_group() {
	g=$1/alua/$2
	mkdir -p "$g"
	put "$g/tg_pt_gp_id" "$3"
	put "$g/alua_access_state" "$4"
	put "$g/alua_access_type" "Implicit"
	put "$g/alua_access_status" "None"
	put "$g/preferred" 0
	put "$g/implicit_trans_secs" 0
	put "$g/trans_delay_msecs" 0
	put "$g/nonop_delay_msecs" 100
	for s in active_optimized active_nonoptimized standby unavailable \
	         offline transitioning; do
		put "$g/alua_support_$s" 1
	done
	put "$g/alua_support_lba_dependent" 0
	# As LIO shows members: each line followed by the NUL it counted in.
	if [ -n "${5:-}" ]; then printf '%s\n\0' "$5" > "$g/members"; else : > "$g/members"; fi
}

# mk_lio ROOT: node 1 of the lab: two devices (fileio_1/vg1, fileio_1/vg2)
# each with groups hpms01 (id 1, AO, this node's LUN) and hpms02 (id 2,
# ANO, no member), plus an unrelated device with only the default group.
mk_lio() {
	r=$1
	mkdir -p "$r/core/alua/lu_gps/default_lu_gp"
	put "$r/core/fileio_1/hba_info" "HBA Index: 1 plugin: fileio version: v5"
	for d in vg1 vg2; do
		dev=$r/core/fileio_1/$d
		mkdir -p "$dev/wwn"
		put "$dev/enable" 1
		mk_lio_group "$dev" default_tg_pt_gp 0 0
		mk_lio_group "$dev" hpms01 1 0 \
			"iSCSI/iqn.2016-02.local.virtual:hpms01.$d/tpgt_1/lun_0"
		mk_lio_group "$dev" hpms02 2 1
	done
	mk_lio_group "$r/core/iblock_0/other" default_tg_pt_gp 0 0
}

# lio_state ROOT DEV GROUP
lio_state() {
	head -n 1 "$1/core/fileio_1/$2/alua/$3/alua_access_state"
}

# tree_sum ROOT: one checksum over every file name and content
tree_sum() {
	(cd "$1" && find . \( -type f -o -type l \) | LC_ALL=C sort |
		while read -r f; do
			printf '%s ' "$f"
			if [ -L "$f" ]; then readlink "$f"; else cat "$f"; fi
		done) | md5sum | cut -d' ' -f1
}
