#!/bin/sh
# Build the Debian packages from a clean copy of the tree, so a package
# build never sees (or leaves) objects in the work tree.
#
# Usage: build-deb.sh OUTDIR
# The copy holds the files git tracks, as they are in the work tree now
# (uncommitted edits included: what you test is what you see).  The .debs,
# .buildinfo, .changes and the build log end up in OUTDIR.
set -eu

out=${1:?usage: build-deb.sh OUTDIR}
top=$(cd "$(dirname "$0")/.." && pwd)
ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)

rm -rf "$out"
mkdir -p "$out/src/pathwarden-$ver"
out=$(cd "$out" && pwd)
src="$out/src/pathwarden-$ver"

# Tracked files only: build trees, fuzz corpora being written and editor
# droppings stay behind.
(cd "$top" && git ls-files -z --cached | \
	xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh | \
	tar --null -T - -cf -) | tar -xf - -C "$src"

start=$(date +%s)
# A make above us (make check, make valgrind) must not hand its flags and
# variables (SANITIZE, TEST_WRAPPER, -k) to the package build.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1; then
	echo "build-deb: dpkg-buildpackage failed; last lines of $out/build.log:" >&2
	tail -40 "$out/build.log" >&2
	exit 1
fi
end=$(date +%s)
mv "$out"/src/*.deb "$out"/src/*.buildinfo "$out"/src/*.changes "$out"/
rm -rf "$out/src"
echo "build-deb: packages in $out ($((end - start)) s)"
ls -1 "$out"/*.deb
