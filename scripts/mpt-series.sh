#!/bin/sh
# The plugin ABI series of a multipath-tools version, and the version range
# a package built for it may run with.
# Usage: mpt-series.sh [VERSION]   (default: the installed multipath-tools)
# Prints "SERIES MIN END": SERIES is 9, 11 or 15 (mpt/abi-0.N.h), and the
# package depends on multipath-tools (>= MIN~), multipath-tools (<< END~).
# Any other version: one line on stderr naming the supported ones, exit 1.
#
# Series 9 is 0.9.4 alone: the version whose layouts were checked (0.9.0
# has no libmpathutil, and getprio() lost its timeout argument in 0.9.6).
set -eu
ver=${1:-$(dpkg-query -W -f '${Version}' multipath-tools 2>/dev/null || true)}
if [ -z "$ver" ]; then
	echo "setup: multipath-tools is not installed; install it first" \
	     "(apt-get install multipath-tools)" >&2
	exit 1
fi
up=${ver#*:}
up=${up%%-*}
case "$up" in
0.9.4|0.9.4[+~]*)	echo "9 0.9.4 0.9.5" ;;
0.11.*)			echo "11 0.11.1 0.12" ;;
0.15.*)			echo "15 0.15.1 0.16" ;;
*)
	echo "setup: multipath-tools $ver is installed; pathwarden's plugins" \
	     "support 0.9.4, 0.11 and 0.15 (Debian 12, 13 and forky) and are" \
	     "never built blind" >&2
	exit 1 ;;
esac
