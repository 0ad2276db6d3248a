# Host-side helpers shared by the lab scripts.  Sourced, not run.
#
# Every step of the lab is bounded in time and, when it fails, says which
# step failed and where its log is (issue 3, "Bad input").

LAB_DIR=$(cd "$(dirname "$0")" && pwd)
TREE=$(cd "$LAB_DIR/.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$TREE/$BUILD" ;; esac
LAB_BUILD="$BUILD/lab"
# The guest's Debian suite (lab/suite-root.sh): trixie, Debian 13 and the
# users' platform, unless LAB_SUITE says otherwise; LAB_SUITE=host (or
# empty) boots the host's own root and kernel instead.
LAB_SUITE=${LAB_SUITE-trixie}
[ "$LAB_SUITE" != host ] || LAB_SUITE=
export LAB_SUITE

lab_say() { echo "lab: $*" >&2; }
lab_die() { echo "lab: error: $*" >&2; exit 1; }

# lab_step NAME SECONDS LOG COMMAND...: run COMMAND with its output in LOG,
# killed after SECONDS; on failure name the step and the log.
lab_step() {
	_name=$1 _secs=$2 _log=$3
	shift 3
	mkdir -p "$(dirname "$_log")"
	if timeout -k 5 "$_secs" "$@" >"$_log" 2>&1; then
		return 0
	else
		_rc=$?
	fi
	if [ "$_rc" -eq 124 ] || [ "$_rc" -eq 137 ]; then
		echo "lab: step '$_name' timed out after ${_secs}s; log: $_log" >&2
	else
		echo "lab: step '$_name' failed (exit $_rc); log: $_log" >&2
	fi
	tail -n 15 "$_log" | sed 's/^/lab:   | /' >&2
	return "$_rc"
}
