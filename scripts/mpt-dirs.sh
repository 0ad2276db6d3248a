#!/bin/sh
# Where the installed multipath-tools loads plugins from and keeps its
# systemd units, read from its own file list: /lib/multipath and
# /lib/systemd/system on Debian 12, under /usr from Debian 13 on.
# Usage: mpt-dirs.sh plugindir|unitdir     prints the absolute directory
set -eu
case "${1:-}" in
plugindir) pat='/multipath/libchecktur\.so$' ;;
unitdir)   pat='/systemd/system/multipathd\.service$' ;;
*) echo "usage: mpt-dirs.sh plugindir|unitdir" >&2; exit 2 ;;
esac
f=$(dpkg-query -L multipath-tools libmultipath0 2>/dev/null | grep "$pat" |
	head -n1)
if [ -z "$f" ]; then
	echo "mpt-dirs: no $1 in multipath-tools' file list" \
	     "(is multipath-tools installed?)" >&2
	exit 1
fi
dirname "$f"
