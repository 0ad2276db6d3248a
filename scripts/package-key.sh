#!/bin/sh
# A digest of what goes into the project's packages: the tracked files as
# they are in the work tree, but the tests, the lab, the docs and the CI
# script.  Packages built from a tree keep this key beside them
# (lab.key); the lab reuses them while the key is the same.
# Usage: scripts/package-key.sh
set -eu
cd "$(dirname "$0")/.."
git ls-files -z --cached -- . ':!tests' ':!lab' ':!docs' ':!.ci' ':!*.md' |
	xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
	xargs -0 sha1sum | sha1sum | cut -d' ' -f1
