#!/bin/sh
# The project's packages built for one Debian suite, as that suite's users
# build them: in a fresh copy of the suite's bare root (scripts/bare-root.sh)
# with the tree copied in, the set-up run from the project's own lists,
# then scripts/build-deb.sh.  The .debs land in OUTDIR (kept while the
# sources are unchanged: lab.key, a digest of the packaged files).
#
# Usage: lab/suite-debs.sh SUITE OUTDIR
set -eu
. "$(dirname "$0")/lib.sh"
suite=${1:?usage: lab/suite-debs.sh SUITE OUTDIR}
out=${2:?usage: lab/suite-debs.sh SUITE OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# One build per directory at a time: make check starts forky's early, in
# the background (lab/Module.mk, lab-debs-ahead), and the forky smoke's
# own call waits here for it, then finds the packages built.
exec 9> "$out/.lock"
flock 9
# Kept while nothing that goes into a package changed (tests/platforms/
# suite.sh leaves the packages its ship-deb run built here with the key).
key=$("$TREE/scripts/package-key.sh")
if [ "$(cat "$out/lab.key" 2>/dev/null)" = "$key" ] &&
   ls "$out"/*.deb >/dev/null 2>&1; then
	exit 0
fi
lab_say "building the packages for $suite (in a bare $suite root)"
rm -f "$out"/*.deb "$out/lab.key"
PW_IN_ROOT_OUT=$out lab_step "packages for $suite" 1800 \
	"$LAB_BUILD/logs/debs-$suite.log" \
	"$TREE/tests/platforms/in-root.sh" "$suite" sh -eu -c '
	make setup
	DEB_BUILD_OPTIONS=nocheck DEB_BUILD_PROFILES=nocheck \
		scripts/build-deb.sh /out/build
	cp /out/build/*.deb /out/' ||
	lab_die "the $suite packages did not build"
rm -rf "$out/build"
ls "$out"/*.deb >/dev/null 2>&1 || lab_die "no $suite packages in $out"
# The key taken before the build: a file edited during it builds again.
echo "$key" > "$out/lab.key"
