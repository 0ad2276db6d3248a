#!/bin/sh
# Turn the data of every replay fixture into fuzz seeds: one file per
# (parser, response), the first byte selecting the parser as the fuzz
# target expects.
set -eu
fix=${1:?usage: make-seeds.sh FIXTURE_DIR OUT_DIR}
out=${2:?}
mkdir -p "$out"
# Bytes from hex words.  Octal escapes: dash's printf (Debian's /bin/sh)
# has no \x, and with it every seed was the text "\x02\x00...".
hex2bin() {
	for h in "$@"; do
		printf "\\$(printf %03o "0x$h")"
	done
}
n=0
for f in "$fix"/*.replay; do
	# join continuation lines, keep "CMD [once] [delay=N] good HEX..." rules
	awk '/^[ \t]/ { line = line " " $0; next }
	     { if (line != "") print line; line = $0 }
	     END { if (line != "") print line }' "$f" |
	sed 's/#.*//' | while read -r cmd rest; do
		set -- $rest
		while [ $# -gt 0 ] && [ "$1" != good ]; do shift; done
		[ $# -gt 1 ] || continue
		shift
		case "$cmd" in
		rtpg) sel="00 04" ;;
		inq83) sel="01" ;;
		inq) sel="02" ;;
		*) continue ;;
		esac
		for s in $sel; do
			n=$((n + 1))
			# n counts within this fixture only (the loop runs
			# in a pipeline's subshell): name seeds after it.
			hex2bin $s "$@" > "$out/seed-${f##*/}-$n"
		done
	done
done
# sense data in both formats, and one replay script
hex2bin 03 70 00 06 00 00 00 00 0a 00 00 00 00 2a 06 > "$out/seed-sense-fixed"
hex2bin 03 72 02 04 0a 00 00 00 00 > "$out/seed-sense-desc"
{ hex2bin 05; cat "$fix/ua-then-ao.replay"; } > "$out/seed-script"
