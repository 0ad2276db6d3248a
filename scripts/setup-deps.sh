#!/bin/sh
# Install what pathwarden needs to build and test, and work out which
# multipath-tools series the plugins are built for.  Nothing is downloaded
# but Debian binary packages, and the host's apt configuration is never
# touched: the plugin ABI of each series is declared by mpt/ itself.
#
# Usage: setup-deps.sh BUILD_DIR
# Idempotent and quiet when everything is already there.  Writes, under
# BUILD_DIR/mpt/: VERSION (the installed multipath-tools), series (9, 11
# or 15: the mpt/abi-0.N.h to build with), plugindir (where that
# multipath-tools loads plugins from) and unitdir (where its systemd units
# live, /lib or /usr/lib as the suite has it).
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
series=$("$here/mpt-series.sh" "$mpt_ver" | cut -d' ' -f1)
[ -n "$series" ] || exit 1	# mpt-series.sh said why
plugindir=$("$here/mpt-dirs.sh" plugindir)
unitdir=$("$here/mpt-dirs.sh" unitdir)

dst="$build/mpt"
mkdir -p "$dst"
rm -rf "$dst/src" "$dst/dl" "$build/apt-src" "$dst"/multipath-tools_*	# what older set-ups fetched
printf '%s\n' "$mpt_ver" > "$dst/VERSION.new"
printf '%s\n' "$series" > "$dst/series.new"
printf '%s\n' "$plugindir" > "$dst/plugindir.new"
printf '%s\n' "$unitdir" > "$dst/unitdir.new"
for f in VERSION series plugindir unitdir; do
	if ! cmp -s "$dst/$f.new" "$dst/$f"; then
		mv "$dst/$f.new" "$dst/$f"
	else
		rm -f "$dst/$f.new"
	fi
done
