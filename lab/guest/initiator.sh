# The lab's initiator side: udevd, iscsid, discovery and login, multipathd.
# Sourced by the guest bring-up.  Daemons run in their own sessions (setsid):
# in a shared process group, killing one took the test script down.

INI_NAME=iqn.2016-02.local.virtual:pwlab.initiator
INI_MODULES="scsi_transport_iscsi iscsi_tcp sd_mod sg scsi_dh_alua dm_mod \
dm_multipath dm_round_robin dm_service_time"
MPATHD_LOG=$PW_RESULTS/multipathd.log

ini_modules() {
	local m
	for m in $INI_MODULES; do modprobe "$m" || return 1; done
}

# multipathd ignores devices udev has not processed, so udev comes first.
ini_udev() {
	# Under systemd, systemd-udevd.service runs already.
	if ! pidof systemd-udevd > /dev/null; then
		/lib/systemd/systemd-udevd --daemon --resolve-names=never ||
			return 1
	fi
	# No full coldplug: the devices that matter (iSCSI disks, dm maps)
	# appear after udevd runs, and a full trigger costs ~25 s under TCG.
	udevadm trigger --action=add --subsystem-match=block \
		--subsystem-match=misc || return 1
	udevadm settle --timeout=$((60 + 2 * ${LIO_LUNS:-1}))
}

# Under systemd (a suite's root) iscsid and multipathd run through the
# suite's own units, as on a host.  The initramfs leaves them out of the
# boot (the lab writes their configuration first) and masks their
# sockets: the lab, not a client's connect, decides when they run.  The
# one lab addition is a runtime drop-in for multipathd (below).  As on a
# host, installing pathwarden starts them too (its unit wants both).  Without
# systemd (the host's root) they run in sessions of their own.

ini_iscsid() {
	mkdir -p /etc/iscsi /run/lock/iscsi
	rm -rf /etc/iscsi/nodes /etc/iscsi/send_targets /var/lib/iscsi
	echo "InitiatorName=$INI_NAME" > /etc/iscsi/initiatorname.iscsi
	if under_systemd; then
		# restart: installing pathwarden may have started it already
		# (pathwarden.service wants it), before the name above
		systemctl restart iscsid.service || return 1
	else
		setsid /sbin/iscsid -f >"$PW_RESULTS/logs/iscsid.log" 2>&1 \
			</dev/null &
	fi
	wait_until 20 pidof iscsid || return 1
	# iscsid listens shortly after it starts; discovery retries anyway.
	sleep 0.5
}

# Discovery on one portal of each node (SendTargets lists the node's
# portals), then login to every portal found.
ini_login() {
	local n p
	for n in $LIO_NODES; do
		p=${LIO_PORTALS[$n]%% *}
		iscsiadm -m discovery -t sendtargets -p "$p:3260" || return 1
	done
	iscsiadm -m node --loginall=all || return 1
	udevadm settle --timeout=$((60 + 2 * ${LIO_LUNS:-1}))
}

ini_nsessions() { iscsiadm -m session 2>/dev/null | grep -c '^tcp'; }
ini_ndisks() { ls -d /sys/block/sd* 2>/dev/null | wc -l; }

# The lab's /etc/multipath.conf.  Everything about the device comes from
# conf.d: the project's multipath.conf.d (pathwarden) or lab's stock file.
ini_multipath_conf() {
	mkdir -p /etc/multipath/conf.d
	rm -f /etc/multipath/wwids /etc/multipath/bindings
	# A fixed 5 s check interval (Debian lets it grow to 20 s on stable
	# paths) so the tests see each state within seconds; the benchmark sets
	# PW_LAB_MAX_POLLING=20 for Debian's own behaviour.
	cat > /etc/multipath.conf <<CONF
# pathwarden lab: every SCSI disk in the guest is a lab LUN.
defaults {
	find_multipaths no
	user_friendly_names no
	polling_interval ${PW_LAB_POLLING:-5}
	max_polling_interval ${PW_LAB_MAX_POLLING:-5}
}
CONF
}

# PW_LAB_CONFIG=stock: Debian 12's stock checker and prio, made explicit
# (tur + alua, as the built-in LIO-ORG entry would if detect_prio did not
# turn alua into sysfs), instead of the project's conf.d.
STOCK_CONF=/etc/multipath/conf.d/zz-lab-stock.conf
ini_config_stock() {
	mkdir -p /run/pwlab/conf.d.off
	local f
	for f in /etc/multipath/conf.d/*.conf; do
		[ -e "$f" ] || continue
		[ "$f" = "$STOCK_CONF" ] && continue
		mv "$f" /run/pwlab/conf.d.off/
	done
	cat > "$STOCK_CONF" <<CONF
# pathwarden lab: stock Debian 12 checker and prio for LIO.
devices {
	device {
		vendor "LIO-ORG"
		product ".*"
		path_grouping_policy group_by_prio
		failback immediate
		hardware_handler "1 alua"
		path_checker tur
		prio alua
		detect_prio no
	}
}
CONF
}
ini_config_pathwarden() {
	rm -f "$STOCK_CONF"
	if [ -d /run/pwlab/conf.d.off ]; then
		mv /run/pwlab/conf.d.off/* /etc/multipath/conf.d/ 2>/dev/null
	fi
	return 0
}

# ini_multipathd_unit [LEVEL]: the lab's runtime drop-in for the shipped
# unit, which keeps its type (notify), restart policy and limits and
# changes what the tests need: verbosity LEVEL (3) with timestamps (the
# unit's -s drops them), appended to the results' multipathd.log, which
# the tests read by line number.  Reloads systemd only when it changed.
MPATHD_DROPIN=/run/systemd/system/multipathd.service.d/pwlab.conf
ini_multipathd_unit() {
	local want
	want=$(printf '%s\n' "# pathwarden lab: multipathd's log in the results." \
		'[Service]' 'ExecStart=' \
		"ExecStart=$(command -v multipathd) -d -v${1:-3}" \
		"StandardOutput=append:$MPATHD_LOG" \
		"StandardError=append:$MPATHD_LOG")
	[ "$(cat "$MPATHD_DROPIN" 2>/dev/null)" = "$want" ] && return 0
	mkdir -p "${MPATHD_DROPIN%/*}"
	printf '%s\n' "$want" > "$MPATHD_DROPIN"
	systemctl daemon-reload
}

# ini_multipathd_verbosity 3|4: restart multipathd at that verbosity (under
# systemd; without it, multipathd keeps -v3).  From 0.11 on, -v3 logs a
# checker's verdict only when it changes, -v4 every call: the tests that
# count checker calls in the log run at 4.
ini_multipathd_verbosity() {
	under_systemd || return 0
	ini_multipathd_unit "$1" && systemctl restart multipathd.service &&
		wait_until 20 multipathd show daemon
}

# How long a restart may take before ini_multipathd_start calls the stop
# hung (lab/guest/bringup.sh's step allows for it).
MPATHD_STOP_WAIT=25

# ini_multipathd_hung: what multipathd's threads are doing, into the
# results (multipathd-hang.txt), when its stop does not end.
ini_multipathd_hung() {
	local pid t
	pid=$(systemctl show -p MainPID --value multipathd.service)
	{
		echo "=== $(date +%T.%N): multipathd (pid $pid) still running" \
			"$MPATHD_STOP_WAIT s after its stop"
		[ "${pid:-0}" -gt 0 ] || return 0
		for t in /proc/"$pid"/task/*; do
			echo "--- thread ${t##*/} $(cat "$t/comm" 2>/dev/null)" \
				"wchan $(cat "$t/wchan" 2>/dev/null)"
			cat "$t/stack" 2>/dev/null
		done
	} >> "$PW_RESULTS/multipathd-hang.txt" 2>&1
}

ini_multipathd_start() {
	echo "=== multipathd start ($(date +%T.%N), config ${PW_LAB_CONFIG:-pathwarden})" \
		>> "$MPATHD_LOG"
	if under_systemd; then
		# restart: it may run already, without the lab's
		# configuration or drop-in (pathwarden.service wants it)
		ini_multipathd_unit || return 1
		# Once on forky (multipath-tools 0.15.1, a CI run of
		# 2026-12-05) multipathd logged "shut down" and its process
		# did not end: its threads go to the results, the process is
		# killed and multipathd started again, and the run says so.
		if ! timeout "$MPATHD_STOP_WAIT" systemctl restart multipathd.service; then
			ini_multipathd_hung
			echo "# multipathd's restart hung: killed and started" \
				"again (its threads: multipathd-hang.txt)" >&2
			echo "=== multipathd hung in its stop: killed" >> "$MPATHD_LOG"
			systemctl kill -s KILL multipathd.service
			sleep 1
			systemctl reset-failed multipathd.service 2>/dev/null
			systemctl start multipathd.service || return 1
		fi
	else
		setsid /sbin/multipathd -d -v3 >>"$MPATHD_LOG" 2>&1 </dev/null &
	fi
	wait_until 20 multipathd show daemon
}

ini_multipathd_stop() {
	if under_systemd; then
		systemctl stop multipathd.service
		# the unit may have failed (its restart limit): clear it
		systemctl reset-failed multipathd.service 2>/dev/null
		return 0
	fi
	multipathd shutdown >/dev/null 2>&1
	wait_until 20 sh -c '! pidof multipathd' || {
		kill -9 $(pidof multipathd) 2>/dev/null
		sleep 0.5
	}
}

# The one map, by name (WWID: user_friendly_names is off).
mp_map() { multipathd show maps raw format "%n" 2>/dev/null | head -n 1; }
mp_dev() { local m; m=$(mp_map) && [ -n "$m" ] && echo "/dev/mapper/$m"; }
# mp_paths: "dev chk_st dm_st checker pri hcil" per path.
mp_paths() { multipathd show paths raw format "%d %T %t %c %p %i" 2>/dev/null; }
mp_npaths() { mp_paths | grep -c '^sd'; }
# mp_groups: "pri dm_st" per path group of the map, in table order.
mp_topology() { multipathd show topology 2>/dev/null; }

# ini_wait_map SECONDS: every LUN's map holding its four paths, whatever
# their state: judging the states is the scenario's business.
ini_wait_map() {
	wait_until "${1:-60}" sh -c \
		'[ "$(multipathd show paths raw format "%d %m" 2>/dev/null |
		      awk "\$2 != \"[orphan]\" { n++ } END { print n + 0 }")" -eq "$1" ]' \
		_ "$((4 * ${LIO_LUNS:-1}))"
}

# ini_fast_checks NAME on|off: every path checked every second (a conf.d
# snippet zz-pwlab-NAME.conf, after the project's), or back to the
# configuration's own polling; multipathd reconfigured either way.
ini_fast_checks() {
	local f=/etc/multipath/conf.d/zz-pwlab-$1.conf
	if [ "$2" = on ]; then
		printf 'defaults {\n\tpolling_interval 1\n\tmax_polling_interval 1\n}\n' > "$f"
	else
		rm -f "$f"
	fi
	multipathd reconfigure > /dev/null
}
