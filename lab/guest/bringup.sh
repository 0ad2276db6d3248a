# Bring the whole lab up inside the guest: modules, udev, the project's
# installed files, the LIO targets, iscsid and logins, multipathd.  Sourced
# by the guest entries; defines lab_bringup and lab_collect.

PW_GUEST_DIR=${PW_GUEST_DIR:-$PW_TREE/lab/guest}
. "$PW_GUEST_DIR/common.sh"
. "$PW_GUEST_DIR/target-lio.sh"
. "$PW_GUEST_DIR/initiator.sh"
. "$PW_GUEST_DIR/faults.sh"
. "$PW_GUEST_DIR/configs.sh"
. "$PW_GUEST_DIR/hostile.sh"
. "$PW_GUEST_DIR/observe.sh"

# The host staged the project's Debian packages (make lab-stage) of the
# checkout under test; the host root is read-only, the overlay is not, so
# dpkg installs them into the guest only.  No triggers (man-db, ldconfig
# walk every library over 9p: tens of seconds under TCG; the plugins find
# libpathwarden through their run path); no systemd in the guest, so the
# unit is installed and not started.
PW_LAB_DEBS=/var/cache/pathwarden-lab
lab_install_project() {
	[ -n "${PW_STAGE:-}" ] && [ -f "$PW_STAGE" ] || {
		echo "no staged packages (PW_STAGE=${PW_STAGE:-unset})"
		return 1
	}
	tar -C / -xvf "$PW_STAGE" --keep-directory-symlink --no-same-owner \
		--no-overwrite-dir || return 1
	ls "$PW_LAB_DEBS"/*.deb || return 1
	dpkg --no-triggers --force-confold -i "$PW_LAB_DEBS"/*.deb || return 1
	dpkg-query -W pathwarden pathwarden-agent
}

lab_modules() {
	lio_modules && ini_modules && modprobe nf_tables
}

lab_bringup() {
	log "bring-up: config ${PW_LAB_CONFIG:-pathwarden}, tree $PW_TREE"
	step "modules" 60 lab_modules || return 1
	step "udev" 90 ini_udev || return 1
	step "install the packages" 240 lab_install_project || return 1
	# LIO's configfs under TCG: about 1 s per LUN on both nodes (16
	# LUNs: 19 s; 64 ran past a flat 60 s)
	step "LIO targets" $((60 + 2 * LIO_LUNS)) lio_setup || return 1
	# The fault table now, so that a fault hook only adds set elements
	# (the first nft call loads modules and takes seconds under TCG).
	step "fault table" 30 _fault_nft_init || return 1
	step "iscsid" 30 ini_iscsid || return 1
	# every disk through udev (64 LUNs: past a flat 60 s settle)
	step "discovery and login" $((90 + 4 * LIO_LUNS)) ini_login || return 1
	[ "$(ini_nsessions)" -eq 4 ] || {
		log "expected 4 iSCSI sessions, have $(ini_nsessions)"
		return 1
	}
	ini_multipath_conf
	if [ "${PW_LAB_CONFIG:-pathwarden}" = stock ]; then
		ini_config_stock
	fi
	# 75 s: a stop that hangs costs MPATHD_STOP_WAIT (25 s) before the
	# kill, then a start (initiator.sh)
	step "multipathd" $((75 + LIO_LUNS)) ini_multipathd_start || return 1
	# 256 disks ([scale], 64 LUNs) take minutes to be added under TCG
	step "multipath map" $((90 + 5 * LIO_LUNS)) \
		ini_wait_map $((80 + 5 * LIO_LUNS)) || {
		mp_topology | sed 's/^/#   /'
		return 1
	}
	lab_platform || log "platform.json: could not be written"
	if [ "$LIO_LUNS" -gt 1 ]; then
		log "bring-up done: $LIO_LUNS LUNs, $(mp_npaths) paths, first map $(mp_map)"
	else
		log "bring-up done: $(mp_npaths) paths, map $(mp_map)"
		mp_paths | sed 's/^/#   /'
	fi
	return 0
}

# lab_pkg_version PACKAGE: its installed version, "" if none.
lab_pkg_version() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null; }

# platform.json: what this run's stack was, beside its results.
lab_platform() {
	local codename
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	jq -n --arg suite "${PW_SUITE:-$codename}" --arg codename "$codename" \
		--arg debian "$(cat /etc/debian_version)" \
		--arg kernel "$(uname -r)" \
		--arg mpt "$(lab_pkg_version multipath-tools)" \
		--arg iscsi "$(lab_pkg_version open-iscsi)" \
		--arg init "$(cat /proc/1/comm)" \
		--arg systemd "$(lab_pkg_version systemd)" \
		--arg sg3 "$(lab_pkg_version sg3-utils)" \
		--arg pw "$(lab_pkg_version pathwarden)" \
		--arg root "$([ -n "${PW_SUITE:-}" ] && echo "suite" || echo "host")" '
		{ suite: $suite, codename: $codename, debian_version: $debian,
		  kernel: $kernel, multipath_tools: $mpt, open_iscsi: $iscsi,
		  init: $init, systemd: $systemd, sg3_utils: $sg3,
		  pathwarden: $pw, target: "LIO", root: $root }' \
		> "$PW_RESULTS/platform.json"
}

lab_collect() {
	{
		mp_topology
		echo
		multipathd show paths format "%d %i %T %t %c %p %C %m"
		echo
		multipathd show config local 2>/dev/null | head -n 0
	} > "$PW_RESULTS/multipath-state.txt" 2>&1
	iscsiadm -m session -P 1 > "$PW_RESULTS/iscsi-sessions.txt" 2>&1
	if under_systemd; then
		journalctl -b --no-pager -o short-monotonic \
			> "$PW_RESULTS/journal.txt" 2>&1
		systemctl list-units --all --no-pager \
			> "$PW_RESULTS/systemd-units.txt" 2>&1
		# iscsid logs to the journal under its unit
		journalctl -b -u iscsid.service --no-pager -o short-monotonic \
			> "$PW_RESULTS/logs/iscsid.log" 2>&1
	fi
	find "$LIO_CFS" -name alua_access_state -path '*/alua/*' \
		-exec sh -c 'echo "$1: $(head -n 1 "$1")"' _ {} \; \
		> "$PW_RESULTS/lio-alua.txt" 2>&1
	return 0
}
