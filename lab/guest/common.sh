# Guest-side helpers: logging, bounded waits, TAP output.  Sourced by every
# guest script (bash).  $PW_RESULTS is the writable results share.

PW_RESULTS=${PW_RESULTS:-/results}
PW_T0=${PW_T0:-$(date +%s.%N)}

# Seconds since the guest init started, for logs and measurements.
elapsed() { awk -v t0="$PW_T0" -v t="$(date +%s.%N)" 'BEGIN { printf "%.1f", t - t0 }'; }

log() { echo "# [$(elapsed)s] $*"; }
die() { echo "# [$(elapsed)s] FATAL: $*"; exit 1; }

# step NAME SECONDS COMMAND...: a bounded bring-up step (COMMAND may be a
# shell function) with its own log under $PW_RESULTS/logs.  On timeout the
# step's whole process group is killed; daemons it started with setsid live
# on.  On failure say which step and where its log is.
step() {
	local name=$1 secs=$2 slug logf pid wd rc t0 mark
	shift 2
	slug=$(echo "$name" | tr -c 'A-Za-z0-9_\n-' '-')
	mkdir -p "$PW_RESULTS/logs"
	logf="$PW_RESULTS/logs/step-$slug.log"
	mark=/run/pwlab-step-timeout.$$
	rm -f "$mark"
	t0=$(date +%s.%N)
	set -m		# the step and its watchdog get process groups of their own
	( "$@" ) >"$logf" 2>&1 </dev/null &
	pid=$!
	# A sleeping watchdog rather than a polling loop: under TCG every
	# process started costs real time.
	( sleep "$secs"; : > "$mark"; kill -TERM -- "-$pid"; sleep 1
	  kill -KILL -- "-$pid" ) >/dev/null 2>&1 &
	wd=$!
	set +m
	wait "$pid"
	rc=$?
	kill -- "-$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	if [ -e "$mark" ]; then
		rm -f "$mark"
		log "step '$name' timed out after ${secs}s; log: logs/step-$slug.log"
		tail -n 20 "$logf" | sed 's/^/#   | /'
		return 124
	fi
	if [ "$rc" -eq 0 ]; then
		log "step '$name' done in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
		return 0
	fi
	log "step '$name' failed (exit $rc); log: logs/step-$slug.log"
	tail -n 20 "$logf" | sed 's/^/#   | /'
	return "$rc"
}

# wait_until SECONDS COMMAND...: poll COMMAND (quietly) every 0.5 s until it
# succeeds; fail after SECONDS.
# under_systemd: systemd is PID 1 (a suite's root), not the lab's init.
under_systemd() { [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; }

wait_until() {
	local secs=$1 end
	shift
	end=$(( $(date +%s) + secs ))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.5
	done
	return 0
}

# --- TAP --------------------------------------------------------------
TAP_N=0
TAP_FAILED=0
tap_ok()     { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
tap_not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
# tap_check DESCRIPTION COMMAND...: one assertion from a command's status.
tap_check() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_not_ok "$desc"; fi
}
# ms COMMAND...: run it, print how many milliseconds it took
ms() {
	local t0=$EPOCHREALTIME
	"$@" > /dev/null 2>&1
	awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }'
}
tap_done() { echo "1..$TAP_N"; [ "$TAP_FAILED" -eq 0 ]; }
