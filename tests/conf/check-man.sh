#!/bin/sh
# Every man page renders without warnings.  Prints TAP.
set -eu
echo "1..$#"
n=0
for p in "$@"; do
	n=$((n + 1))
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null ||
		echo "man exited $?")
	if [ -n "$warn" ]; then
		echo "not ok $n - $p renders cleanly"
		printf '%s\n' "$warn" | sed 's/^/# /'
	elif [ "$(man -l "$p" 2>/dev/null | wc -l)" -lt 10 ]; then
		echo "not ok $n - $p renders to something"
	else
		echo "ok $n - $p renders cleanly"
	fi
done
