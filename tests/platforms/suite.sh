#!/bin/sh
# The README's set-up proven from a bare root of one Debian suite: a fresh
# copy of the cached root (mmdebstrap's apt variant + build-essential, git,
# ca-certificates), this tree copied in, `make check-unit` there.  That run
# installs everything else from the project's own lists, builds the plugins
# for the suite's multipath-tools series, checks mpt/'s layouts against the
# suite's libmultipath, drives the plugins in the harness, and builds,
# lintian-checks and load-tests the packages (ship-deb).  Prints TAP.
# Usage: suite.sh SUITE LOGDIR [DEBDIR]
# DEBDIR: where the packages that ship-deb built and passed are left, with
# scripts/package-key.sh's key in lab.key, for the lab's guest of the suite
# (lab/suite-debs.sh reuses them instead of building them again).
set -eu
suite=${1:?usage: suite.sh SUITE LOGDIR [DEBDIR]}
logdir=${2:?usage: suite.sh SUITE LOGDIR [DEBDIR]}
debdir=${3:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$logdir"
key=$("$top/scripts/package-key.sh")	# before the copy: an edit builds again
debout=
if [ -n "$debdir" ]; then
	mkdir -p "$debdir"
	debdir=$(cd "$debdir" && pwd)
	rm -f "$debdir"/*.deb "$debdir/lab.key"
	debout=$(mktemp -d "${TMPDIR:-/var/tmp}/pw-debs.XXXXXX")
	trap 'rm -rf "$debout"' EXIT
fi
log="$logdir/platform-$suite.full.log"

echo "1..4"
start=$(date +%s)
if tarball=$("$top/scripts/bare-root.sh" "$suite" 2>"$log.root"); then
	echo "ok 1 - bare $suite root ($(du -m "$tarball" | cut -f1) MB, cached)"
else
	echo "not ok 1 - bare $suite root"
	sed 's/^/# /' "$log.root"
	echo "not ok 2 - make check-unit in the $suite root (no root)"
	echo "not ok 3 - plugins built for the $suite series (no root)"
	echo "not ok 4 - ship-deb in the $suite root (no root)"
	exit 0
fi

rc=0
PW_IN_ROOT_OUT=$debout "$top/tests/platforms/in-root.sh" "$suite" sh -c \
	'make check-unit; rc=$?
	cp build/deb/*.deb /out/ 2>/dev/null || :	# kept if DEBDIR is given
	echo "series: $(cat build/mpt/series 2>/dev/null) $(cat build/mpt/VERSION 2>/dev/null)"
	for r in build/test-results/*.res; do	# the root goes: keep the why
		read -r p f < "$r"
		[ "$f" = 0 ] || grep -v "^ok " "${r%.res}.log" | tail -n 30 |
			sed "s|^|why ${r##*/}: |"
	done
	exit $rc' \
	> "$log" 2>&1 || rc=$?
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
secs=$(( $(date +%s) - start ))
if [ "$rc" -eq 0 ] && [ -n "$summary" ] &&
   [ "${summary#*passed, }" = "0 failed" ]; then
	echo "ok 2 - make check-unit in a bare $suite root: $summary ($secs s)"
else
	echo "not ok 2 - make check-unit in a bare $suite root: ${summary:-no summary} (exit $rc); log: $log"
	grep -E '^FAIL|^not ok|^setup:|^install-packages|^why ' "$log" |
		head -80 | sed 's/^/# /'
fi
series=$(sed -n 's/^series: //p' "$log" | tail -n1)
case "$suite:$series" in
bookworm:"9 "*|trixie:"11 "*|forky:"15 "*)
	echo "ok 3 - plugins built for multipath-tools series $series" ;;
*)	echo "not ok 3 - plugins built for the $suite series (got: ${series:-none})" ;;
esac
if grep -qE '^ok +ship-deb \(14 passed\)' "$log"; then
	echo "ok 4 - packages built, lintian clean, plugins load with RTLD_NOW (ship-deb)"
	if [ -n "$debout" ] && ls "$debout"/*.deb >/dev/null 2>&1; then
		cp "$debout"/*.deb "$debdir/" && echo "$key" > "$debdir/lab.key"
		echo "# packages left for the lab in $debdir"
	fi
else
	echo "not ok 4 - ship-deb in the $suite root"
	grep -A40 -E '^FAIL ship-deb' "$log" | grep -E '^not ok|^# ' | head -20 |
		sed 's/^/# /'
fi
