#!/bin/sh
# The lab guest's root for one Debian suite: mmdebstrap's apt variant plus
# scripts/packages-lab-guest.txt (that suite's kernel, systemd, multipathd,
# iscsid and the tools the lab runs), built once from the package mirror
# and cached outside the clone, keyed by suite and package list, so a
# second run reuses it.  The guest mounts it read-only under an overlay.
#
# Usage: lab/suite-root.sh SUITE [cluster]   prints the root directory
# 'cluster' adds scripts/packages-lab-cluster.txt (the three-guest topology's
# root: DRBD, Corosync, Pacemaker, the guest agent); cached as SUITE-cluster.
# PW_LAB_ROOT_CACHE (default /var/cache/pathwarden/lab-roots) holds them.
set -eu
. "$(dirname "$0")/lib.sh"
suite=${1:-}
flavor=${2:-}
case "$suite" in
bookworm|trixie|forky) ;;
*)	lab_die "unknown LAB_SUITE '$suite' (bookworm, trixie or forky)" ;;
esac
cache=${PW_LAB_ROOT_CACHE:-/var/cache/pathwarden/lab-roots}
mirror=${PW_MIRROR:-http://deb.debian.org/debian}
lists="$TREE/scripts/packages-lab-guest.txt"
name=$suite
case "$flavor" in
"") ;;
cluster) lists="$lists $TREE/scripts/packages-lab-cluster.txt"
	name=$suite-cluster ;;
*)	lab_die "unknown guest root flavor '$flavor' (cluster)" ;;
esac
# shellcheck disable=SC2086 # two file names
pkgs=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' $lists |
	tr '\n' ',' | sed 's/,$//')
key=$( { echo "$suite $mirror $pkgs"; cat "$0"; } | sha256sum | cut -c1-12)
root="$cache/$name-$key"
if [ -e "$root/.done" ]; then
	echo "$root"
	exit 0
fi
command -v mmdebstrap >/dev/null ||
	lab_die "mmdebstrap is missing (scripts/packages-lab.txt lists it)"
mkdir -p "$cache" "$LAB_BUILD/logs"
part="$root.part"
rm -rf --one-file-system "$part"
lab_say "building the $name guest root (once; cached in $cache)"
# The mirror serves frozen snapshots whose Release files have expired:
# apt inside the root must accept them.  No recommends: the root holds
# what the list names and what that needs, as a minimal server would.
if ! lab_step "mmdebstrap $name" 1800 "$LAB_BUILD/logs/root-$name.log" \
	mmdebstrap --variant=apt --mode=root \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	--aptopt='APT::Install-Recommends "false"' \
	--include="$pkgs" \
	--customize-hook='chroot "$1" sh -c "ls /boot/vmlinuz-* >/dev/null"' \
	--format=directory "$suite" "$part" "deb $mirror $suite main"; then
	rm -rf --one-file-system "$part"
	lab_die "cannot build the $suite guest root from $mirror (does the" \
		"mirror answer?); log: $LAB_BUILD/logs/root-$name.log"
fi
# One root per suite and flavor: older keys go.
for old in "$cache/$name"-*; do
	case ${old#"$cache/$name"-} in
	*-*) continue ;;	# trixie-cluster-KEY is not trixie's
	esac
	[ "$old" = "$part" ] || rm -rf --one-file-system "$old"
done
mv "$part" "$root"
: > "$root/.done"
echo "$root"
