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
	local name=$1 secs=$2 slug logf pid rc t0 end
	shift 2
	slug=$(echo "$name" | tr -c 'A-Za-z0-9_\n-' '-')
	mkdir -p "$PW_RESULTS/logs"
	logf="$PW_RESULTS/logs/step-$slug.log"
	t0=$(date +%s.%N)
	end=$((SECONDS + secs))
	set -m		# the step gets its own process group
	( "$@" ) >"$logf" 2>&1 </dev/null &
	pid=$!
	set +m
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$SECONDS" -ge "$end" ]; then
			kill -TERM -- "-$pid" 2>/dev/null
			sleep 1
			kill -KILL -- "-$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			log "step '$name' timed out after ${secs}s; log: logs/step-$slug.log"
			tail -n 20 "$logf" | sed 's/^/#   | /'
			return 124
		fi
		sleep 0.1
	done
	wait "$pid"
	rc=$?
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
tap_done() { echo "1..$TAP_N"; [ "$TAP_FAILED" -eq 0 ]; }
