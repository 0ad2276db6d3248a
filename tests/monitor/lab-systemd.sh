# pathwarden.service under the suite's real systemd (issue lab-suites):
# the unit as the package installs it, its sandbox in force, does what the
# daemon does outside it: logs in to every portal, serves metrics, moves
# I/O to a newly promoted node, logs a returning node in again.  Sourced by
# lab/scenarios/systemd.sh after bring-up (needs LAB_SUITE: systemd as
# PID 1); prints TAP, leaves tap_done to the scenario.  The unit is the
# package's, unchanged: the configuration is /etc/pathwarden/pathwarden.conf
# as on a host, the records go to the unit's StateDirectory.

SD_CONF=/etc/pathwarden/pathwarden.conf
SD_REC=/var/lib/pathwarden/failover.jsonl
SD_WAIT=${PW_E2E_WAIT:-50}

sd_journal() { journalctl -u pathwarden.service -b --no-pager -o short-monotonic; }

if ! under_systemd; then
	tap_not_ok "systemd is PID 1 (run with LAB_SUITE=trixie or forky)"
	return 0 2>/dev/null || exit 0
fi
tap_ok "systemd is PID 1 ($(systemctl --version | head -n 1))"

# The configuration a host would write: the lab's nodes and portals, the
# package's recommended session timeouts, metrics on loopback.
lab_pw_conf "$SD_CONF"
echo "metrics 127.0.0.1:9857" >> "$SD_CONF"
tap_check "pathwarden -n accepts $SD_CONF" pathwarden -n -c "$SD_CONF"

# From nothing: every session logged out, node records gone, so the
# daemon's own login (iscsiadm under the sandbox) is what brings them.
iscsiadm -m node -u > /dev/null 2>&1
sd_no_sessions() { [ "$(ini_nsessions)" -eq 0 ]; }
wait_until 30 sd_no_sessions
iscsiadm -m node -o delete > /dev/null 2>&1
tap_check "no session before the unit starts" sd_no_sessions

systemctl daemon-reload
rc=0
systemctl start pathwarden.service || rc=$?
tap_check "systemctl start pathwarden.service (exit $rc)" test "$rc" -eq 0
tap_check "the unit is active" systemctl is-active --quiet pathwarden.service
sd_four() { [ "$(ini_nsessions)" -eq 4 ]; }
tap_check "login under the sandbox: 4 sessions" wait_until 90 sd_four
sd_map4() { [ "$(mp_npaths)" -eq 4 ]; }
tap_check "the map has 4 paths" wait_until 90 sd_map4
# Type=notify: started means READY=1 came; the health line in STATUS=.
sd_status() { systemctl show -p StatusText --value pathwarden.service; }
sd_status_ok() { sd_status | grep -Eq '^4/4 paths up, hpms0[12] optimized$'; }
wait_until 60 sd_status_ok
tap_check "StatusText carries the health line ($(sd_status))" sd_status_ok
sd_metrics() { curl -sf http://127.0.0.1:9857/metrics > "$PW_RESULTS/systemd-metrics.txt"; }
tap_check "metrics served under the sandbox" wait_until 30 sd_metrics
tap_check "metrics pass promtool" \
	promtool check metrics < "$PW_RESULTS/systemd-metrics.txt"
MAP=$(map_name)
wait_until "$SD_WAIT" io_on hpms01

# A planned switchover: the daemon switches dm's group (libdevmapper and
# multipathd's socket, from inside the sandbox).
fault_promote hpms02
t=$(since_promoted 30 io_on hpms02)
tap_check "switchover under systemd: I/O on hpms02 (${t:-not within 30} s after its promotion)" \
	test -n "$t"
sd_switch_rec() { grep -q '"type":"switch"' "$SD_REC"; }
sd_any_rec() { grep -qE '"type":"(switch|failover)"' "$SD_REC"; }
# Who moves the I/O is a race: multipathd 0.11 regroups by itself about a
# second after each ALUA change (docs/lab.md), and then the daemon has no
# switch to make (a switch back forced on dm is not undone by design: the
# daemon says multipathd's prios do not follow ALUA rather than fight it).
# Then the record looked for is the failover window of the node down and
# back below.  Either is written by the sandboxed daemon into its
# StateDirectory, which is what this checks.
sd_switched=0
wait_until 10 sd_switch_rec && sd_switched=1
fault_promote hpms01
wait_until 30 io_on hpms01

# A node down and back: its sessions fail; the daemon logs them in again.
fault_node_down hpms01
wait_until 60 io_on hpms02
fault_node_up hpms01
t=$(time_until 90 io_on hpms01)
tap_check "node back under systemd: I/O on hpms01 (${t:-not within 90} s)" test -n "$t"
tap_check "node back: 4 sessions" wait_until 60 sd_four
if [ "$sd_switched" = 1 ]; then
	tap_check "switch recorded in the StateDirectory (the daemon switched)" sd_switch_rec
else
	tap_check "a record in the StateDirectory (multipathd regrouped first: the node's failover window)" \
		wait_until 30 sd_any_rec
fi

# The failovers above as journal entries: one MESSAGE_ID, the latency.
SD_FAILOVER_ID=e680eb1a4a664132ada011a1dabae37a
journalctl -b --no-pager -o json MESSAGE_ID=$SD_FAILOVER_ID \
	> "$PW_RESULTS/journal-failovers.json" 2>&1 || :
sd_failovers() { jq -r 'select(.PATHWARDEN_LATENCY_MS != null) | "\(.PATHWARDEN_MAP) \(.PATHWARDEN_NODE) \(.PATHWARDEN_LATENCY_MS)"' \
	"$PW_RESULTS/journal-failovers.json" 2>/dev/null; }
nf=$(sd_failovers | wc -l)
log "journal: failovers with their latency: $(sd_failovers | tr '\n' ';')"
tap_check "journalctl MESSAGE_ID=$SD_FAILOVER_ID lists the failovers with a latency ($nf)" \
	test "$nf" -ge 1
# The watchdog is on (WatchdogSec=) and was never missed.
wd=$(systemctl show -p WatchdogUSec --value pathwarden.service)
tap_check "the watchdog is on (WatchdogUSec=$wd)" test -n "$wd" -a "$wd" != 0 -a "$wd" != infinity

# Nothing the sandbox refused, and the unit never restarted.
sd_journal > "$PW_RESULTS/journal-pathwarden.txt" 2>&1
sd_nothing_refused() {
	! grep -qiE 'permission denied|operation not permitted|read-only file system|err 30' \
		"$PW_RESULTS/journal-pathwarden.txt"
}
tap_check "journal: nothing refused by the sandbox" sd_nothing_refused
nr=$(systemctl show -p NRestarts --value pathwarden.service)
tap_check "the unit never restarted (NRestarts=$nr)" test "$nr" = 0

# The exposure figure systemd gives the unit, for docs/install.md.
systemd-analyze security --no-pager pathwarden.service \
	> "$PW_RESULTS/systemd-analyze-security.txt" 2>&1 || :
exp=$(sed -n 's/.*Overall exposure level for pathwarden.service: \([0-9.]*\).*/\1/p' \
	"$PW_RESULTS/systemd-analyze-security.txt")
log "systemd-analyze security pathwarden.service: exposure ${exp:-?}"
tap_check "systemd-analyze security rates the unit (exposure ${exp:-none})" test -n "$exp"

rc=0
systemctl stop pathwarden.service || rc=$?
tap_check "systemctl stop (exit $rc)" test "$rc" -eq 0
sd_journal > "$PW_RESULTS/journal-pathwarden.txt" 2>&1
