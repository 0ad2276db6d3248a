#!/bin/sh
# Install the Debian packages the lab needs (scripts/packages-lab.txt).
# Idempotent: silent when everything is there; runs 'apt-get update' first
# when something has to be installed.  The guest runs the host's own
# userland, so guest tools (multipathd, iscsid, fio, nft) are host packages.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
list="$here/../scripts/packages-lab.txt"
pkgs=$(grep -v '^#' "$list" | tr '\n' ' ')

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in ii*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "lab: missing Debian packages:$missing" >&2
	echo "lab: run 'sudo apt-get install$missing' (or run make as root)" >&2
	exit 1
fi
echo "lab: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
