#!/bin/bash
# Stage what the lab guests install: the lab's own tools (pwlab-io, ...)
# built on the host, and the project as a tarball each guest unpacks into
# its overlay: with a suite (SUITE from vm.env), the Debian packages built
# in a bare root of that suite, for its multipath-tools series; with the
# host's root, the tree as 'make install' lays it out.  A tarball, not a
# directory under build/: the top-level Makefile includes every '*.d' it
# finds there, and conf.d is one.
#
# Usage: lab/stage.sh 1|0     (0: an empty stage, the project not installed)
# Output: $BUILD/lab/stage.tar.  Needs $BUILD/lab/vm.env's SUITE exported.
set -eu
. "$(dirname "$0")/lib.sh"
stage_it=${1:-1}

lab_step "build the lab tools" 300 "$LAB_BUILD/logs/tools.log" \
	make --no-print-directory -C "$TREE" BUILD="$BUILD" lab-tools

stage="$LAB_BUILD/stage.tar"
if [ "$stage_it" = 1 ]; then
	sdir=$(mktemp -d "${TMPDIR:-/tmp}/pwlab-stage.XXXXXX")
	if [ -n "${SUITE:-}" ]; then
		if ! "$LAB_DIR/suite-debs.sh" "$SUITE" "$LAB_BUILD/debs-$SUITE"; then
			rm -rf "$sdir"
			exit 1
		fi
		mkdir -p "$sdir/var/cache/pathwarden-lab"
		for d in "$LAB_BUILD/debs-$SUITE"/*.deb; do
			case $d in *-dbgsym_*) ;; *) cp "$d" "$sdir/var/cache/pathwarden-lab/" ;; esac
		done
	elif ! lab_step "install the project into the lab stage" 600 \
		"$LAB_BUILD/logs/stage.log" \
		make --no-print-directory -C "$TREE" BUILD="$BUILD" lab-stage \
		LAB_STAGE="$sdir"; then
		rm -rf "$sdir"
		exit 1
	fi
	tar -C "$sdir" -cf "$stage.tmp" . && mv "$stage.tmp" "$stage"
	rm -rf "$sdir"
else
	rm -f "$stage"
	tar -cf "$stage" -T /dev/null
fi
