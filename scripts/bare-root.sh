#!/bin/sh
# Build, once, a bare root of a Debian suite the way a new user's machine
# starts: mmdebstrap's apt variant plus build-essential, git and
# ca-certificates, nothing else.  The root is cached outside the clone as a
# tarball; every caller unpacks a fresh copy of it.
#
# Usage: bare-root.sh SUITE        prints the tarball's path
# PW_ROOT_CACHE (default /var/cache/pathwarden/roots) holds the tarballs.
set -eu
suite=${1:?usage: bare-root.sh SUITE}
case "$suite" in
bookworm|trixie|forky) ;;
*)	echo "bare-root: unknown suite '$suite' (bookworm, trixie or forky)" >&2
	exit 2 ;;
esac
cache=${PW_ROOT_CACHE:-/var/cache/pathwarden/roots}
mirror=${PW_MIRROR:-http://deb.debian.org/debian}
tarball="$cache/$suite.tar"
if [ -s "$tarball" ]; then
	echo "$tarball"
	exit 0
fi
if ! command -v mmdebstrap >/dev/null; then
	echo "bare-root: mmdebstrap is missing (scripts/packages-platforms.txt" \
	     "lists it; 'make check-platforms' installs it)" >&2
	exit 1
fi
mkdir -p "$cache"
tmp="$tarball.part"
rm -f "$tmp"
# The mirror here serves frozen snapshots whose Release files have expired
# (forky's since November 2026): apt inside the root must accept them.
if ! mmdebstrap --quiet --variant=apt --mode=root \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	--include=build-essential,git,ca-certificates \
	--format=tar "$suite" "$tmp" "deb $mirror $suite main" >&2; then
	rm -f "$tmp"
	echo "bare-root: cannot build a $suite root from $mirror (does the" \
	     "mirror answer?)" >&2
	exit 1
fi
mv "$tmp" "$tarball"
echo "$tarball"
