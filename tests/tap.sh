# TAP for the shell tests.  Sourced, not run:  . "$top/tests/tap.sh"
# ok/not_ok/check/is/like print one result each; tap_end prints the plan
# (a test that prints its plan first calls tap_plan N instead and ends
# with tap_done) and fails when any result failed.
tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}

# check DESC COMMAND...: one test line from a command's exit status
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# not COMMAND...: succeeds when COMMAND fails (for check)
not() {
	! "$@"
}

# is DESC GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   got:  '$2'"
		echo "#   want: '$3'"
	fi
}

# like DESC TEXT PATTERN: TEXT contains PATTERN (fixed string)
like() {
	case "$2" in
	*"$3"*) ok "$1" ;;
	*)
		not_ok "$1"
		echo "#   '$2'"
		echo "#   does not contain '$3'"
		;;
	esac
}

# run COMMAND...: sets $out, $err, $rc (the caller sets $tap_tmp, a
# scratch directory); safe under set -e
run() {
	rc=0
	out=$("$@" 2>"${tap_tmp:?}/stderr") || rc=$?
	err=$(cat "$tap_tmp/stderr")
}

tap_end() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

tap_plan() {
	echo "1..$1"
}

tap_done() {
	[ "$tap_failed" -eq 0 ]
}
