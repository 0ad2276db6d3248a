#!/bin/sh
# Run a command in a fresh copy of a suite's bare root with this tree
# copied in (tracked files as they are in the work tree), as a new user's
# machine would: nothing installed but what mmdebstrap's apt variant,
# build-essential, git and ca-certificates bring.  Everything else must come
# from the project's own package lists.
#
# Usage: in-root.sh SUITE COMMAND...   (COMMAND runs in the tree's copy)
# PW_IN_ROOT_OUT=DIR: DIR is mounted on /out in the root (what a command
# leaves there survives the root).
# The root is thrown away afterwards; downloaded .debs are kept per suite
# under PW_ROOT_CACHE so a rerun does not fetch them again.
set -eu
suite=${1:?usage: in-root.sh SUITE COMMAND...}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${PW_ROOT_CACHE:-/var/cache/pathwarden/roots}
tarball=$("$top/scripts/bare-root.sh" "$suite")

if [ "$(id -u)" -ne 0 ]; then
	echo "in-root: a chroot needs root" >&2
	exit 1
fi
root=$(mktemp -d "${TMPDIR:-/var/tmp}/pw-$suite.XXXXXX")
cleanup() {
	rm -rf --one-file-system "$root"
}
trap cleanup EXIT INT TERM
tar -xf "$tarball" -C "$root"

mkdir -p "$cache/apt-$suite"
"$top/scripts/copy-tree.sh" "$root/src/pathwarden"
# A clone, as the README's user has: git works in it.
(cd "$root/src/pathwarden" && git init -q && git add -A &&
	git -c user.name=pw -c user.email=pw@localhost commit -qm tree) >/dev/null

for m in proc sys dev var/cache/apt/archives out; do
	mkdir -p "$root/$m"
done
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

echo "in-root: $suite ($(cat "$root/etc/debian_version")): $*"
# The mounts live in a private mount namespace of their own: they vanish
# with it, and no unmount can propagate back to the host's /dev or /sys.
unshare --mount --propagation private sh -eu -c '
root=$1 archives=$2 out=$3
shift 3
# / a mount point of its own, as on a machine: unshare -m inside works
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount --bind "$archives" "$root/var/cache/apt/archives"
[ -z "$out" ] || mount --bind "$out" "$root/out"
exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LANG=C.UTF-8 TERM=dumb \
	sh -c "cd /src/pathwarden && exec \"\$@\"" sh "$@"
' sh "$root" "$cache/apt-$suite" "${PW_IN_ROOT_OUT:-}" "$@"
