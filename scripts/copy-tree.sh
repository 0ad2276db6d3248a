#!/bin/sh
# Copy the files git tracks, as they are in the work tree now (uncommitted
# edits included: what you test is what you see), into DEST.  Build trees,
# fuzz corpora being written and editor droppings stay behind.
# Usage: copy-tree.sh DEST
set -eu
dest=${1:?usage: copy-tree.sh DEST}
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dest"
(cd "$top" && git ls-files -z --cached |
	xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	tar --null -T - -cf -) | tar -xf - -C "$dest"
