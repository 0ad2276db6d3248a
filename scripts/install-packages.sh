#!/bin/sh
# Install the Debian packages named in LIST files (one per line, '#'
# comments) that are not installed yet.  Idempotent and silent when all is
# there; 'apt-get update' first when something has to be installed.
# Usage: install-packages.sh LABEL LIST...
set -eu
label=${1:?usage: install-packages.sh LABEL LIST...}
shift
pkgs=$(cat "$@" | grep -v '^#' | tr '\n' ' ')

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in ii*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "$label: missing Debian packages:$missing" >&2
	echo "$label: run 'sudo apt-get install$missing' (or run make as root)" >&2
	exit 1
fi
echo "$label: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! apt-get update -qq > "$log" 2>&1 || grep -q '^[EW]: Failed to fetch' "$log"; then
	echo "$label: the package mirror does not answer (apt-get update" \
	     "failed: $(grep -m1 '^[EW]:' "$log" | cut -c1-120)); check the" \
	     "network and /etc/apt/sources.list*, then run make again" >&2
	exit 1
fi
# One transaction: apt installs all of them or, on an error, none.
# shellcheck disable=SC2086
if ! apt-get install -y -qq --no-install-recommends $missing > "$log" 2>&1; then
	echo "$label: apt-get install failed: $(grep -m1 '^E:' "$log" |
		cut -c1-160); nothing was installed by this step" >&2
	exit 1
fi
