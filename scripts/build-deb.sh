#!/bin/sh
# Build the Debian packages from a clean copy of the tree, so a package
# build never sees (or leaves) objects in the work tree.
#
# Usage: build-deb.sh [--reuse] OUTDIR
# The copy holds the files git tracks, as they are in the work tree now
# (uncommitted edits included: what you test is what you see).  The .debs,
# .buildinfo, .changes and the build log end up in OUTDIR, with tree.key:
# a digest of every tracked file's content and of the build options.  With
# --reuse, packages whose tree.key matches are kept instead of rebuilt (the
# lab installs what the package test of the same run built).
set -eu

reuse=0
if [ "${1:-}" = --reuse ]; then
	reuse=1
	shift
fi
out=${1:?usage: build-deb.sh [--reuse] OUTDIR}
top=$(cd "$(dirname "$0")/.." && pwd)
ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)

key=$({
	echo "options ${DEB_BUILD_OPTIONS:-} profiles ${DEB_BUILD_PROFILES:-}"
	cd "$top" && git ls-files -z --cached |
		xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
		xargs -0 sha1sum
} | sha1sum | cut -d' ' -f1)
if [ "$reuse" = 1 ] && [ "$(cat "$out/tree.key" 2>/dev/null)" = "$key" ] &&
   ls "$out"/*.deb > /dev/null 2>&1; then
	echo "build-deb: packages in $out are of this tree, kept"
	ls -1 "$out"/*.deb
	exit 0
fi

rm -rf "$out"
mkdir -p "$out/src/pathwarden-$ver"
out=$(cd "$out" && pwd)
src="$out/src/pathwarden-$ver"

# Tracked files only: build trees, fuzz corpora being written and editor
# droppings stay behind.
"$top/scripts/copy-tree.sh" "$src"

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
echo "$key" > "$out/tree.key"
echo "build-deb: packages in $out ($((end - start)) s)"
ls -1 "$out"/*.deb
