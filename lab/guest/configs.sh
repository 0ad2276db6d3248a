# The two initiator configurations the failover benchmark compares, each
# put in place on the running lab.  Sourced after initiator.sh.
#
#   lab_config stock        the guest's suite as installed: its
#                           multipath-tools' built-in LIO-ORG entry (tur
#                           checker on 0.9.4, directio from 0.9.5; alua
#                           prio, which detect_prio may turn into sysfs),
#                           its polling defaults (5 s, up to
#                           20 s when stable), the session timeouts of its
#                           own /etc/iscsi/iscsid.conf (NOP-Out 5 s / 5 s,
#                           replacement 120 s on bookworm, trixie and
#                           forky), no pathwarden daemon; what was in force
#                           goes to $PW_RESULTS/stock-config.txt
#   lab_config pathwarden   the packages' multipath.conf.d (rtpg checker
#                           and prio), sessions logged in by `pathwarden
#                           login` (its NOP-Out and replacement timeouts),
#                           the pathwarden daemon running
#
# Both start from the same /etc/multipath.conf (find_multipaths no, nothing
# else) and log every session out and in again, so each configuration's
# session timeouts are the ones in force.

PW_LAB_CONF=${PW_LAB_CONF:-/run/pathwarden/lab.conf}
PW_LAB_RECORDS=${PW_LAB_RECORDS:-$PW_RESULTS/pathwarden-records.jsonl}
PW_LAB_DAEMON_LOG=${PW_LAB_DAEMON_LOG:-$PW_RESULTS/logs/pathwarden-daemon.log}
# Where the lab daemon serves its metrics (scenarios scrape it).
LAB_METRICS=127.0.0.1:9857
# The lab daemon's verbosity: -v (info), -vv for its debug lines (the RTPG
# batches' times): make ... PW_LAB_DAEMON_V=-vv.
PW_LAB_DAEMON_V=${PW_LAB_DAEMON_V:--v}
case "$PW_LAB_DAEMON_V" in -v | -vv) ;; *) PW_LAB_DAEMON_V=-v ;; esac

# lab_pw_conf FILE: the lab's nodes and portals in pathwarden.conf syntax,
# with the session timeouts the package recommends; the caller appends.
lab_pw_conf() {
	local n
	mkdir -p "$(dirname "$1")"
	: > "$1" || return 1
	chmod 0644 "$1"
	for n in $LIO_NODES; do
		echo "node $n ${LIO_PORTALS[$n]} target ${LIO_IQN[$n]}" >> "$1"
	done
	cat >> "$1" <<CONF
noop-interval 1
noop-timeout 1
replacement-timeout 5
CONF
}

# lab_daemon_pid: the pathwarden daemon's pid (pathwarden bench, also a
# "pathwarden" process, is not it).  The oldest match: a re-login runs in a
# forked child with the daemon's command line for as long as its iscsiadm
# takes, and two pids in one string are no process at all (a CI run's flap
# test lost its daemon that way).
lab_daemon_pid() { pgrep -o -f "^pathwarden -d $PW_LAB_DAEMON_V -c $PW_LAB_CONF run\$"; }

# The daemon in the foreground (-d: a daemonized one would escape the
# stop below and go on working during the stock runs), its log lines
# stamped with the guest's clock.
_lab_daemon_start() {
	setsid bash -c '{ pathwarden -d $2 -c "$1" run 2>&1 < /dev/null
		  echo "pathwarden: the daemon exited: status $?"; } |
		while IFS= read -r l; do printf "%s %s\n" "$EPOCHREALTIME" "$l"; done' \
		_ "$PW_LAB_CONF" "$PW_LAB_DAEMON_V" >> "$PW_LAB_DAEMON_LOG" 2>&1 < /dev/null &
	wait_until 10 lab_daemon_pid
}

_lab_daemon_stop() {
	local pid
	pid=$(lab_daemon_pid) || return 0
	kill -TERM $pid 2>/dev/null
	wait_until 10 sh -c "! kill -0 $pid 2>/dev/null" || kill -KILL $pid 2>/dev/null
	! lab_daemon_pid > /dev/null
}

_lab_logout_all() {
	iscsiadm -m node -u > /dev/null 2>&1
	wait_until 30 sh -c '! iscsiadm -m session > /dev/null 2>&1'
}

# _lab_node_timeouts NOP_INT NOP_TMO REPLACEMENT LOGIN: every node
# record's (pathwarden login writes its own login_timeout too).
_lab_node_timeouts() {
	iscsiadm -m node -o update -n 'node.conn[0].timeo.noop_out_interval' -v "$1" &&
	iscsiadm -m node -o update -n 'node.conn[0].timeo.noop_out_timeout' -v "$2" &&
	iscsiadm -m node -o update -n node.session.timeo.replacement_timeout -v "$3" &&
	iscsiadm -m node -o update -n 'node.conn[0].timeo.login_timeout' -v "$4"
}

# _lab_iscsid_default KEY: KEY's value in the suite's own iscsid.conf (the
# lab never edits it), for the node records a fresh host would have.
_lab_iscsid_default() {
	awk -F= -v k="$1" '{ n = $1; gsub(/[ \t]/, "", n) }
		n == k { v = $2; gsub(/[ \t]/, "", v) }
		END { if (v == "") exit 1; print v }' /etc/iscsi/iscsid.conf
}

# The record of what "stock" meant on this run: the suite's versions, the
# session timeouts it set and multipathd's entries for the LUN (the
# built-in one names its vendor "(LIO-ORG|SUSE)").
_lab_stock_record() {
	local f=$PW_RESULTS/stock-config.txt
	{
		echo "# stock on $(. /etc/os-release; echo "$PRETTY_NAME"):" \
			"multipath-tools $(dpkg-query -W -f '${Version}' multipath-tools)," \
			"open-iscsi $(dpkg-query -W -f '${Version}' open-iscsi)"
		echo "# node records (from /etc/iscsi/iscsid.conf): noop_out_interval $1," \
			"noop_out_timeout $2, replacement_timeout $3, login_timeout $4"
		echo "# multipathd show config: the defaults and the LIO-ORG entry"
		multipathd show config 2>/dev/null | awk '
			/^defaults \{/ { d = 1 }
			d && /polling_interval|path_checker|detect_prio|detect_checker|failback|no_path_retry|fast_io_fail_tmo|dev_loss_tmo/ { print }
			d && /^\}/ { d = 0 }
			/^[[:space:]]*device \{/ { buf = $0 "\n"; dev = 1; next }
			dev { buf = buf $0 "\n" }
			dev && /^[[:space:]]*\}/ { if (buf ~ /vendor "[^"]*LIO-ORG/) printf "%s", buf; dev = 0 }'
	} > "$f"
}

_lab_multipath_defaults() {
	cat > /etc/multipath.conf <<'CONF'
# pathwarden lab benchmark: every SCSI disk in the guest is a lab LUN;
# everything else at Debian's defaults.
defaults {
	find_multipaths no
	user_friendly_names no
}
CONF
}

lab_config() {
	case "$1" in
	stock | pathwarden) ;;
	*) echo "lab_config: no configuration '$1' (stock, pathwarden)" >&2; return 64 ;;
	esac
	echo "=== $EPOCHREALTIME lab_config $1" >> "$PW_LAB_DAEMON_LOG"
	_lab_daemon_stop || { echo "lab_config: the pathwarden daemon does not stop" >&2; return 1; }
	ini_multipathd_stop
	_lab_logout_all || return 1
	_lab_multipath_defaults
	mkdir -p /run/pwlab/conf.d.off
	if [ "$1" = stock ]; then
		mv /etc/multipath/conf.d/*.conf /run/pwlab/conf.d.off/ 2>/dev/null
		local ni nt rt lt
		ni=$(_lab_iscsid_default 'node.conn[0].timeo.noop_out_interval') &&
		nt=$(_lab_iscsid_default 'node.conn[0].timeo.noop_out_timeout') &&
		rt=$(_lab_iscsid_default node.session.timeo.replacement_timeout) &&
		lt=$(_lab_iscsid_default 'node.conn[0].timeo.login_timeout') || {
			echo "lab_config: no session timeouts in /etc/iscsi/iscsid.conf" >&2
			return 1
		}
		_lab_node_timeouts "$ni" "$nt" "$rt" "$lt" || return 1
		ini_multipathd_start || return 1
		iscsiadm -m node --loginall=all > /dev/null || return 1
		_lab_stock_record "$ni" "$nt" "$rt" "$lt"
	else
		mv /run/pwlab/conf.d.off/*.conf /etc/multipath/conf.d/ 2>/dev/null
		rm -f "$STOCK_CONF"
		lab_pw_conf "$PW_LAB_CONF" || return 1
		cat >> "$PW_LAB_CONF" <<CONF
records $PW_LAB_RECORDS
metrics $LAB_METRICS
CONF
		# The cluster lab's three guests share 2 cores: its logins
		# and maps take longer than the package's bound allows.
		[ -z "${PW_LAB_ISCSI_TIMEOUT:-}" ] ||
			echo "iscsi-timeout $PW_LAB_ISCSI_TIMEOUT" >> "$PW_LAB_CONF"
		ini_multipathd_start || return 1
		pathwarden -c "$PW_LAB_CONF" login || return 1
	fi
	udevadm settle --timeout=$((60 + 2 * ${LIO_LUNS:-1}))
	ini_wait_map $((90 + 5 * ${LIO_LUNS:-1})) || return 1
	if [ "$1" = pathwarden ]; then
		# PW_LAB_EARLY_FAILOVER=yes: early failover on, the first
		# map probed (the map exists only now).
		if [ "${PW_LAB_EARLY_FAILOVER:-no}" = yes ]; then
			local map
			map=$(mp_map) && [ -n "$map" ] || return 1
			printf 'probe %s\nearly-failover yes\n' "$map" >> "$PW_LAB_CONF"
		fi
		# PW_LAB_CONF_LINES="setting value;...": more lines for
		# pathwarden's configuration, to measure a setting's trade
		# (make demo PW_LAB_CONF_LINES="early-failover-ms 800").
		if [ -n "${PW_LAB_CONF_LINES:-}" ]; then
			tr ';' '\n' <<< "$PW_LAB_CONF_LINES" >> "$PW_LAB_CONF"
		fi
		_lab_daemon_start || return 1
		wait_until 10 curl -sf -o /dev/null "http://$LAB_METRICS/metrics" || return 1
	fi
	return 0
}
