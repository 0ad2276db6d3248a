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

# apt-get source needs a deb-src entry for the running suite.  The host's
# apt configuration is never touched: where it has none, a private one
# under the build directory (its own source list and package lists, the
# host's keyring) serves this one download.
apt_opts=""
if ! apt-get source --print-uris multipath-tools="$mpt_ver" >/dev/null 2>&1; then
	. /etc/os-release
	private="$(cd "$build" && pwd)/apt-src"
	mkdir -p "$private/lists/partial"
	cat > "$private/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $VERSION_CODENAME main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $VERSION_CODENAME-updates main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security $VERSION_CODENAME-security main
SRC
	apt_opts="-o Dir::Etc::SourceList=$private/sources.list -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$private/lists"
	# shellcheck disable=SC2086
	apt-get $apt_opts update -qq >/dev/null 2>&1 || {
		echo "setup: cannot read the package mirror's source index" \
		     "for $VERSION_CODENAME" >&2
		exit 1
	}
fi

rm -rf "$dst"
mkdir -p "$dst/dl"
# shellcheck disable=SC2086
(cd "$dst/dl" && apt-get $apt_opts source -qq --download-only \
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
