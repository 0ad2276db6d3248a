# No CHAP credential in anything pathwarden prints or writes, on the real
# stack (issue 8; tests/reliability/no-secrets.sh does the same on a
# fixture host).  Both nodes' targets demand CHAP, mutual, and every node
# record carries the credentials; the sessions are logged in again with
# them (so the kernel's iSCSI session attributes hold them too), then
# every command runs (status, status --json, doctor, discover, login,
# -n -v, capture) and the daemon runs with -v, and no secret may appear in
# any output, its log, its metrics or its records.  Sourced by a lab
# scenario with the pathwarden configuration in place; prints TAP.
# iscsid.conf: the guest's overlay copy, CHAP settings appended.

# Made up for this test: a hit can only come from it.
CHAP_U=pwlab-chapuser-5e1f CHAP_P=pwlabChapPw8c2d4a
CHAP_UI=pwlab-mutual-c05f CHAP_PI=pwlabMutualPw2aa1
chap_secrets="$CHAP_U $CHAP_P $CHAP_UI $CHAP_PI"
CHAP_OUT=$PW_RESULTS/chap
mkdir -p "$CHAP_OUT"

chap_nodes() {
	local n
	for n in $LIO_NODES; do
		iscsiadm -m node -T "${LIO_IQN[$n]}" -o update -n "$1" -v "$2" > /dev/null ||
			return 1
	done
}
# chap_clean WHAT FILE: the output exists and carries no secret
chap_clean() {
	local x
	if [ ! -s "$2" ]; then
		tap_not_ok "chap: $1: produced no output"
		return
	fi
	for x in $chap_secrets; do
		if grep -qF "$x" "$2"; then
			tap_not_ok "chap: $1: no CHAP secret ($x found in $2)"
			return
		fi
	done
	tap_ok "chap: $1: no CHAP secret"
}

log "chap: mutual CHAP on both nodes, sessions logged in again with it"
for n in $LIO_NODES; do
	tpg=${LIO_TPG[$n]}
	# no newline: LIO keeps it as part of the name
	printf '%s' "$CHAP_U" > "$tpg/auth/userid" &&
	printf '%s' "$CHAP_P" > "$tpg/auth/password" &&
	printf '%s' "$CHAP_UI" > "$tpg/auth/userid_mutual" &&
	printf '%s' "$CHAP_PI" > "$tpg/auth/password_mutual" &&
	echo 1 > "$tpg/attrib/authentication" ||
		log "chap: LIO refused the credentials on $n"
done
log "chap: hpms01's demo-mode userid reads back as '$(cat "${LIO_TPG[hpms01]}/auth/userid")'"
# As users set it: in iscsid.conf, from which discovery (pathwarden login
# runs it) builds the node records, and in the records already there.
cat >> /etc/iscsi/iscsid.conf <<CONF
node.session.auth.authmethod = CHAP
node.session.auth.username = $CHAP_U
node.session.auth.password = $CHAP_P
node.session.auth.username_in = $CHAP_UI
node.session.auth.password_in = $CHAP_PI
CONF
chap_nodes node.session.auth.authmethod CHAP &&
chap_nodes node.session.auth.username "$CHAP_U" &&
chap_nodes node.session.auth.password "$CHAP_P" &&
chap_nodes node.session.auth.username_in "$CHAP_UI" &&
chap_nodes node.session.auth.password_in "$CHAP_PI" ||
	log "chap: iscsiadm refused the node records' update"
_lab_daemon_stop
for n in $LIO_NODES; do
	iscsiadm -m node -T "${LIO_IQN[$n]}" -u > /dev/null 2>&1
done
pathwarden -c "$PW_LAB_CONF" login > "$CHAP_OUT/login.txt" 2>&1
rc=$?
udevadm settle --timeout=60
tap_check "chap: pathwarden login with CHAP (exit $rc)" test "$rc" -eq 0
# The control: the credentials are in force and in the places
# pathwarden reads (a test of nothing otherwise).
tap_check "chap: the kernel's sessions carry the CHAP credentials" \
	sh -c "grep -qxF '$CHAP_P' /sys/class/iscsi_session/session*/password 2>/dev/null"
tap_check "chap: the targets demand CHAP (authentication 1 on both)" \
	sh -c "[ \"\$(cat ${LIO_TPG[hpms01]}/attrib/authentication ${LIO_TPG[hpms02]}/attrib/authentication | tr -d '\n')\" = 11 ]"
# the lab's four paths (the hostile target's, if there, aside)
chap_ready() {
	[ "$(multipathd show paths raw format '%d %T' 2>/dev/null |
		grep -v "^${HOSTILE_SD:-none} " | grep -c ' ready$')" -eq 4 ]
}
if wait_until 90 chap_ready; then
	tap_ok "chap: four paths ready in the map with CHAP sessions"
else
	tap_not_ok "chap: four paths ready in the map with CHAP sessions: $(mp_paths | tr '\n' ';')"
fi

# from before the start: the daemon's start-up lines (-v: its
# configuration, portals and sessions) are searched too
chap_log_from=$(wc -l < "$PW_LAB_DAEMON_LOG")
_lab_daemon_start || log "chap: the daemon did not start"
pw() { pathwarden -c "$PW_LAB_CONF" "$@"; }
pw status > "$CHAP_OUT/status.txt" 2>&1
pw status --json > "$CHAP_OUT/status.json" 2>&1
pw doctor > "$CHAP_OUT/doctor.txt" 2>&1
pw discover > "$CHAP_OUT/discover.txt" 2>&1
pw login >> "$CHAP_OUT/login.txt" 2>&1
pw -n -v > "$CHAP_OUT/config-check.txt" 2>&1
pw capture "$CHAP_OUT/capture" > "$CHAP_OUT/capture.txt" 2>&1
# A state change for the daemon to log and look up sessions for.  The
# initiator learns of it from a unit attention, which needs a command on
# the path: multipathd's next check, up to its max_polling_interval away
# when all is well (a fixed 3 s wait missed it once in CI), or the TEST
# UNIT READYs here.  So wait for the daemon's word.
# chap_logged N: the daemon logged N ALUA changes since its start.
chap_logged() {
	local d
	for d in $(mp_paths | awk '{ print $1 }'); do
		[ "$d" = "${HOSTILE_SD:-none}" ] || sg_turs "/dev/$d" > /dev/null 2>&1
	done
	[ "$(tail -n "+$((chap_log_from + 1))" "$PW_LAB_DAEMON_LOG" |
		grep -c 'alua_change')" -ge "$1" ]
}
lio_set_state hpms02 standby > /dev/null 2>&1
wait_until 30 chap_logged 1
n_changes=$(tail -n "+$((chap_log_from + 1))" "$PW_LAB_DAEMON_LOG" | grep -c alua_change)
lio_set_state hpms02 nonoptimized > /dev/null 2>&1
tap_check "chap: the daemon logged hpms02's standby and its return (within 30 s each)" \
	test "$n_changes" -ge 1 -a "$(wait_until 30 chap_logged $((n_changes + 1)); echo $?)" -eq 0
curl -sf http://127.0.0.1:9857/metrics > "$CHAP_OUT/metrics.txt" 2>&1
tail -n "+$((chap_log_from + 1))" "$PW_LAB_DAEMON_LOG" > "$CHAP_OUT/daemon.log"

tap_check "chap: iscsid.conf and the node records hold the secrets pathwarden must not show" \
	sh -c "grep -qF '$CHAP_P' /etc/iscsi/iscsid.conf && iscsiadm -m node -T '${LIO_IQN[hpms01]}' 2>/dev/null | grep -q 'node.session.auth.username = $CHAP_U'"
for f in status.txt status.json doctor.txt discover.txt login.txt \
	config-check.txt capture.txt metrics.txt daemon.log; do
	chap_clean "$f" "$CHAP_OUT/$f"
done
tap_check "chap: capture saved files, none with a CHAP secret" \
	sh -c "[ -n \"\$(ls -A '$CHAP_OUT/capture' 2>/dev/null)\" ] && ! grep -rqF -e '$CHAP_U' -e '$CHAP_P' -e '$CHAP_UI' -e '$CHAP_PI' '$CHAP_OUT/capture'"
tap_check "chap: no CHAP secret in the records file" \
	sh -c "! grep -qF -e '$CHAP_U' -e '$CHAP_P' -e '$CHAP_UI' -e '$CHAP_PI' '$PW_LAB_RECORDS'"
