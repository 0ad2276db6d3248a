#!/bin/sh
# Install what pathwarden needs to build and test, and fetch the Debian
# source of the *installed* multipath-tools so the plugins compile against
# exactly the headers of the libmultipath they will be loaded into.
#
# Usage: setup-deps.sh BUILD_DIR
# Idempotent and quiet when everything is already there.  Writes
# BUILD_DIR/mpt/VERSION and BUILD_DIR/mpt/src (the unpacked source tree).
set -eu

build=${1:?usage: setup-deps.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# A package build gets its tools from Build-Depends, which lists only what
# the build and check-build need (no clang, valgrind, qemu...): do not
# demand the developer set there.
if [ "${PW_DEPS_FROM_BUILD_DEPENDS:-0}" != 1 ]; then
	"$here/install-packages.sh" setup "$here/packages.txt"
fi

mpt_ver=$(dpkg-query -W -f '${Version}' multipath-tools 2>/dev/null || true)
if [ -z "$mpt_ver" ]; then
	echo "setup: multipath-tools is not installed; install it first" \
	     "(apt-get install multipath-tools)" >&2
	exit 1
fi

dst="$build/mpt"
if [ -f "$dst/VERSION" ] && [ "$(cat "$dst/VERSION")" = "$mpt_ver" ] &&
   [ -f "$dst/src/libmultipath/checkers.h" ]; then
	exit 0
fi

# apt-get source needs a deb-src entry for the running suite.
if ! apt-get source --print-uris multipath-tools="$mpt_ver" >/dev/null 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: no deb-src entry for multipath-tools $mpt_ver;" \
		     "add one for your suite, or run make as root" >&2
		exit 1
	fi
	. /etc/os-release
	cat > /etc/apt/sources.list.d/pathwarden-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $VERSION_CODENAME $VERSION_CODENAME-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $VERSION_CODENAME-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt-get update -qq >/dev/null
fi

rm -rf "$dst"
mkdir -p "$dst/dl"
(cd "$dst/dl" && apt-get source -qq --download-only \
	multipath-tools="$mpt_ver" >/dev/null 2>&1) || {
	echo "setup: cannot download the source of multipath-tools $mpt_ver;" \
	     "the plugins must be built against the installed version's headers" >&2
	exit 1
}
dpkg-source -x "$dst"/dl/multipath-tools_*.dsc "$dst/src" >/dev/null 2>&1
got=$(dpkg-parsechangelog -l "$dst/src/debian/changelog" -S Version)
if [ "$got" != "$mpt_ver" ]; then
	echo "setup: fetched multipath-tools source $got but $mpt_ver is" \
	     "installed; refusing to build plugins against other headers" >&2
	exit 1
fi
echo "$mpt_ver" > "$dst/VERSION"
echo "setup: multipath-tools $mpt_ver headers in $dst/src" >&2
