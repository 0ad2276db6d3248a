# wait_for SECONDS COMMAND...: until COMMAND succeeds, against a
# wall-clock deadline (a condition that runs python can itself take a
# second under load, so counting polls would stretch the deadline).
# Sourced by the daemon's test scripts.
wait_for() {
	end=$(( $(date +%s) + $1 ))
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -ge $end ] && return 1
		sleep 0.05
	done
}
