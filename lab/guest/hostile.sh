# A hostile target in the lab (issue 8): a third iSCSI target whose one LU
# is a TCMU "user" backstore answered by build/lab/pwlab-tcmu, so REPORT
# TARGET PORT GROUPS can come back as garbage, too short, longer than sent,
# with a reserved state or as an error, through the real kernel stack.  It
# is its own LU (its own WWID, its own map), on portal 127.3.1.1, apart from
# hpms01/hpms02.  Sourced after target-lio.sh and initiator.sh.
#
#   hostile_setup         backstore, handler, target; the handler answers ok
#   hostile_login         discovery and login; sets HOSTILE_SD
#   hostile_mode MODE     ok garbage short overlong badstate error
#   hostile_rtpgs MODE    RTPGs the handler has answered in MODE so far

HOSTILE_IQN=iqn.2016-02.local.virtual:pwlab.hostile
HOSTILE_PORTAL=127.3.1.1
HOSTILE_DEV=$LIO_CFS/core/user_1/hostile
HOSTILE_CONFIG=pwlab/hostile
HOSTILE_WWID=36001405f000d15ea5e00000000000001
HOSTILE_MODE_FILE=/run/pwlab/hostile.mode
HOSTILE_LOG=$PW_RESULTS/logs/pwlab-tcmu.log
HOSTILE_SIZE=$((16 * 1024 * 1024))

hostile_setup() {
	local tpg=$LIO_CFS/iscsi/$HOSTILE_IQN/tpgt_1
	modprobe target_core_user || return 1
	mkdir -p /run/pwlab "$HOSTILE_DEV" || return 1
	echo ok > "$HOSTILE_MODE_FILE"
	echo -n "dev_size=$HOSTILE_SIZE,dev_config=$HOSTILE_CONFIG" \
		> "$HOSTILE_DEV/control" || return 1
	echo 1 > "$HOSTILE_DEV/enable" || return 1
	setsid "$PW_BUILD/lab/pwlab-tcmu" "$HOSTILE_CONFIG" "$HOSTILE_MODE_FILE" \
		>> "$HOSTILE_LOG" 2>&1 < /dev/null &
	wait_until 10 grep -q '^pwlab-tcmu: /dev/uio' "$HOSTILE_LOG" || {
		echo "hostile: the TCMU handler did not start:" >&2
		cat "$HOSTILE_LOG" >&2
		return 1
	}
	mkdir -p "$tpg/lun/lun_0" || return 1
	ln -s "$HOSTILE_DEV" "$tpg/lun/lun_0/hostile" || return 1
	mkdir "$tpg/np/$HOSTILE_PORTAL:3260" || return 1
	echo 0 > "$tpg/attrib/authentication"
	echo 1 > "$tpg/attrib/generate_node_acls"
	echo 1 > "$tpg/attrib/cache_dynamic_acls"
	echo 0 > "$tpg/attrib/demo_mode_write_protect"
	echo 1 > "$tpg/enable"
}

# The SCSI disk whose VPD 0x83 names the hostile LU.
_hostile_find_sd() {
	local d
	for d in /sys/block/sd*; do
		[ "$(cat "$d/device/wwid" 2>/dev/null)" = "naa.${HOSTILE_WWID#3}" ] &&
			{ echo "${d##*/}"; return 0; }
	done
	return 1
}

hostile_login() {
	iscsiadm -m discovery -t sendtargets -p "$HOSTILE_PORTAL:3260" > /dev/null &&
	iscsiadm -m node -T "$HOSTILE_IQN" -p "$HOSTILE_PORTAL:3260" --login > /dev/null ||
		return 1
	wait_until 30 _hostile_find_sd > /dev/null || return 1
	HOSTILE_SD=$(_hostile_find_sd)
}

hostile_mode() {
	case "$1" in
	ok | garbage | short | overlong | badstate | error) ;;
	*) echo "hostile_mode: no mode '$1'" >&2; return 64 ;;
	esac
	echo "$1" > "$HOSTILE_MODE_FILE"
}

hostile_rtpgs() { grep -c " rtpg $1 " "$HOSTILE_LOG"; }
